import { describe, expect, it } from "vitest";

import { exact, lineAmount, lineErrorPlace, linesTotal, toApiLines, toFormLines } from "./lines";
import { field } from "./test/fixtures";

const LINES = field("lines", "Lines", {
  type: "lines",
  line_fields: [
    field("product_id", "Product", { type: "reference", reference: "crm.account" }),
    field("quantity", "Quantity", { type: "number", required: true }),
    field("unit_price", "Unit price", { type: "money", required: true }),
    field("discount", "Discount %", { type: "number" }),
    field("delivered_on", "Delivered", { type: "date" }),
    field("amount", "Amount", { type: "money", read_only: true }),
  ],
  line_amount: ["quantity", "unit_price", "discount"],
});

describe("line items", () => {
  it("reads decimals exactly, from text or a number, and nothing else", () => {
    expect(exact("19.99")).toEqual({ digits: 1999n, scale: 2 });
    expect(exact(1.5)).toEqual({ digits: 15n, scale: 1 });
    expect(exact("-0.10")).toEqual({ digits: -10n, scale: 2 });
    expect([exact(""), exact("1e3"), exact(null), exact(Number.NaN), exact("12,5")]).toEqual([null, null, null, null, null]);
  });

  it("estimates a line's amount as quantity × unit price × (1 − discount / 100), to the cent, without float error", () => {
    expect(lineAmount(LINES, { quantity: 3, unit_price: "19.99", discount: 10 })).toBe("53.97");
    // 0.1 × 3 in floats is 0.30000000000000004: exact arithmetic says 0.30.
    expect(lineAmount(LINES, { quantity: 3, unit_price: "0.10" })).toBe("0.30");
    // 2.5 × 0.01 = 0.025: half away from zero.
    expect(lineAmount(LINES, { quantity: 2.5, unit_price: "0.01" })).toBe("0.03");
    expect(lineAmount(LINES, { quantity: "1", unit_price: "100", discount: "12.5" })).toBe("87.50");
    expect(lineAmount(LINES, { quantity: 1 })).toBeNull();
    expect(lineAmount({ ...LINES, line_amount: [] }, { quantity: 1, unit_price: "1" })).toBeNull();
  });

  it("totals the lines that have an amount, each rounded first", () => {
    const lines = [
      { quantity: 3, unit_price: "19.99", discount: 10 },
      { quantity: 1.5, unit_price: "10.00" },
      { quantity: 2, unit_price: "0.10" },
      { quantity: null, unit_price: "5" },
    ];
    expect(linesTotal(LINES, lines)).toBe("69.17");
    expect(linesTotal(LINES, [])).toBeNull();
    expect(linesTotal(LINES, undefined)).toBeNull();
  });

  it("sends each line's editable values as the API takes them: money as text, dates as days, empty ones left out", () => {
    const [row] = toFormLines(LINES, [{ quantity: "2.000", unit_price: "12.50", delivered_on: "2027-03-01", amount: "25.00" }]);
    expect(toApiLines(LINES, [{ ...row!, unit_price: 12.5, discount: null, product_id: "a1" }])).toEqual([
      { product_id: "a1", quantity: 2, unit_price: "12.5", delivered_on: "2027-03-01" },
    ]);
    // A line's id goes back only when a line field is named so.
    const withId = { ...LINES, line_fields: [...(LINES.line_fields ?? []), field("id", "Id", { read_only: true })] };
    expect(toApiLines(withId, [{ id: "l1", quantity: 1, unit_price: "1" }])).toEqual([{ id: "l1", quantity: 1, unit_price: "1" }]);
    expect(toApiLines(LINES, [{ id: "l1", quantity: 1, unit_price: "1" }])).toEqual([{ quantity: 1, unit_price: "1" }]);
  });

  it("places an error on the cell it names, or on the lines as a whole saying which line", () => {
    expect(lineErrorPlace(LINES, ["lines", 2, "quantity"])).toEqual({ path: ["lines", 2, "quantity"] });
    expect(lineErrorPlace(LINES, ["lines", 0])).toEqual({ path: ["lines"], line: 1 });
    expect(lineErrorPlace(LINES, ["lines", 1, "amount"])).toEqual({ path: ["lines"], line: 2 });
    expect(lineErrorPlace(LINES, ["lines"])).toEqual({ path: ["lines"] });
  });
});

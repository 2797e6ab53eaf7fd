import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { TypeToConfirm } from "./TypeToConfirm";

afterEach(cleanup);

function open(onConfirm = vi.fn()) {
  render(
    <TypeToConfirm
      open
      title="Delete all data of CRM?"
      warning="Every record is deleted for good."
      expected="acme"
      label="To confirm, type the company's short name"
      okText="Delete data"
      onConfirm={onConfirm}
      onCancel={() => {}}
    />,
  );
  return onConfirm;
}

const confirmButton = () => screen.getByRole("button", { name: "Delete data" });
const input = () => screen.getByLabelText(/type the company's short name/);

describe("type-to-confirm (module purge)", { timeout: 30_000 }, () => {
  it("keeps the button disabled until the name is typed exactly", () => {
    const onConfirm = open();
    expect(confirmButton()).toBeDisabled();
    fireEvent.change(input(), { target: { value: "acm" } });
    expect(confirmButton()).toBeDisabled();
    fireEvent.change(input(), { target: { value: "ACME" } });
    expect(confirmButton()).toBeDisabled();
    fireEvent.change(input(), { target: { value: "acme" } });
    expect(confirmButton()).toBeEnabled();
    fireEvent.click(confirmButton());
    expect(onConfirm).toHaveBeenCalledWith("acme");
  });

  it("does nothing on Enter before the name matches", () => {
    const onConfirm = open();
    fireEvent.change(input(), { target: { value: "nope" } });
    fireEvent.submit(input());
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it("shows what to type", () => {
    open();
    expect(screen.getByText("acme")).toBeInTheDocument();
    expect(screen.getByText("Every record is deleted for good.")).toBeInTheDocument();
  });
});

/**
 * A record's value as text for a reader, by its field type: money with its currency
 * ("US$48,000.00"), numbers and dates in the chosen language; null when there is none.
 */
export function formatValue(type: string, raw: unknown, record: Record<string, unknown>, language: string): string | null {
  if (raw === null || raw === undefined || raw === "") return null;
  const locale = language === "zh" ? "zh-CN" : "en";
  if (type === "money" && typeof record.currency === "string") {
    const amount = Number(raw);
    if (Number.isFinite(amount)) {
      try {
        return new Intl.NumberFormat(locale, { style: "currency", currency: record.currency }).format(amount);
      } catch {
        // An unknown currency code: the number and the code as they are.
      }
    }
    return `${String(raw)} ${record.currency}`;
  }
  if (type === "number" || type === "money") {
    const number = Number(raw);
    return Number.isFinite(number) ? new Intl.NumberFormat(locale).format(number) : String(raw);
  }
  if (type === "date" && typeof raw === "string") {
    return new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(new Date(`${raw}T00:00:00`));
  }
  if (type === "datetime" && typeof raw === "string") {
    return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(raw));
  }
  if (typeof raw === "boolean") return raw ? "✓" : "✗";
  return String(raw);
}

import { useTranslation } from "react-i18next";

/** Dates and times in the reader's language ("12 Mar 2026, 14:05" / "2026年3月12日 14:05"). */
export function useFormatDate() {
  const { i18n } = useTranslation();
  const locale = i18n.language === "zh" ? "zh-CN" : "en-GB";
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  return (value: string | null | undefined): string =>
    value ? dateTime.format(new Date(value)) : "—";
}

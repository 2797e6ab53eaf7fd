import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import relativeTime from "dayjs/plugin/relativeTime";
import { useTranslation } from "react-i18next";

dayjs.extend(relativeTime);

function dayjsLocale(language: string): string {
  return language === "zh" ? "zh-cn" : "en";
}

/** "3 minutes ago" / "3 分钟前", and the exact time for a tooltip, in the chosen language. */
export function useTimeFormat() {
  const { i18n } = useTranslation();
  const locale = dayjsLocale(i18n.language);
  return {
    fromNow: (at: string) => dayjs(at).locale(locale).fromNow(),
    exact: (at: string) =>
      new Intl.DateTimeFormat(i18n.language === "zh" ? "zh-CN" : "en", {
        dateStyle: "medium",
        timeStyle: "short",
      }).format(new Date(at)),
  };
}

import { Select } from "antd";
import { useTranslation } from "react-i18next";

import { chooseLanguage, LANGUAGES, type Language } from "../i18n";

/** English / 简体中文: the choice is kept (localStorage) for the next visit. */
export function LanguageSwitch({ size }: { size?: "small" | "middle" }) {
  const { t, i18n } = useTranslation();
  const current: Language = i18n.language === "zh" ? "zh" : "en";
  return (
    <Select<Language>
      size={size}
      value={current}
      onChange={chooseLanguage}
      aria-label={t("language.label")}
      options={LANGUAGES.map((language) => ({ value: language, label: t(`language.${language}`) }))}
      popupMatchSelectWidth={false}
      style={{ minWidth: 110 }}
    />
  );
}

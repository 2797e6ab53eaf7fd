import { Progress, Typography } from "antd";
import { useTranslation } from "react-i18next";

import { judgePassword, type Strength } from "./passwordStrength";

const COLORS: Record<Strength, string> = {
  0: "#cf1322",
  1: "#cf1322",
  2: "#d46b08",
  3: "#389e0d",
  4: "#237804",
};

/** The meter under a new-password field: how strong, and what would make it stronger. */
export function PasswordStrength({ password, email, id }: { password: string; email?: string; id?: string }) {
  const { t } = useTranslation("public");
  if (!password) {
    return (
      <Typography.Text type="secondary" id={id}>
        {t("password.rule")}
      </Typography.Text>
    );
  }
  const { strength, hints } = judgePassword(password, email);
  const label = t(`password.strength.${strength}`);
  return (
    <div id={id}>
      <div className="password-meter">
        {/* The bar repeats the words beside it, which are what screen readers hear. */}
        <Progress
          percent={strength * 25}
          steps={4}
          showInfo={false}
          strokeColor={COLORS[strength]}
          size={[36, 6]}
          aria-hidden
        />
        <Typography.Text aria-live="polite">{t("password.meterLabel", { label })}</Typography.Text>
      </div>
      {hints.length > 0 && (
        <ul className="password-hints">
          {hints.map((hint) => (
            <li key={hint}>{t(`password.hint.${hint}`)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

import { CheckOutlined, LogoutOutlined, TranslationOutlined } from "@ant-design/icons";
import { App, Avatar, Button, Dropdown } from "antd";
import type { MenuProps } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";

import { ApiError, api, unwrap, withoutReads } from "../api/client";
import { useSignedOut, type Me } from "../app/session";
import { chooseLanguage, LANGUAGES, type Language } from "../i18n";

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((part) => Array.from(part ?? "")[0] ?? "").join("").toUpperCase() || "?";
}

/** The signed-in user: who, the language (kept for next time), and signing out. */
export function UserMenu({ me, compact }: { me: Me; compact: boolean }) {
  const { t, i18n } = useTranslation(["shell", "common"]);
  const { message } = App.useApp();
  const navigate = useNavigate();
  const signedOut = useSignedOut();
  const current: Language = i18n.language === "zh" ? "zh" : "en";

  async function logOut() {
    const ended = await withoutReads(async () => {
      try {
        await unwrap(api.POST("/api/v1/auth/logout"));
      } catch (error) {
        // A session that already ended is signed out all the same.
        if (!(error instanceof ApiError && error.status === 401)) return false;
      }
      await signedOut();
      return true;
    });
    if (!ended) {
      message.error(t("shell:user.logoutFailed"));
      return;
    }
    navigate("/login", { replace: true });
  }

  const items: MenuProps["items"] = [
    {
      key: "who",
      type: "group",
      label: (
        <div className="user-who">
          <div className="user-who-name">{me.user.name}</div>
          <div className="user-who-email">{me.user.email}</div>
        </div>
      ),
    },
    { type: "divider" },
    {
      key: "language",
      type: "group",
      label: (
        <span>
          <TranslationOutlined aria-hidden /> {t("common:language.label")}
        </span>
      ),
      children: LANGUAGES.map((language) => ({
        key: `language:${language}`,
        label: (
          <span lang={language === "zh" ? "zh-CN" : "en"}>
            {t(`common:language.${language}`)}
            {language === current && <span className="visually-hidden"> ({t("shell:user.current")})</span>}
          </span>
        ),
        icon: language === current ? <CheckOutlined aria-hidden /> : <span className="menu-icon-space" aria-hidden />,
      })),
    },
    { type: "divider" },
    { key: "logout", label: t("shell:user.logout"), icon: <LogoutOutlined aria-hidden /> },
  ];

  const onClick: MenuProps["onClick"] = ({ key }) => {
    if (key === "logout") void logOut();
    else if (key.startsWith("language:")) chooseLanguage(key.slice("language:".length) as Language);
  };

  return (
    <Dropdown menu={{ items, onClick }} trigger={["click"]} placement="bottomRight">
      <Button type="text" className="user-button" aria-label={t("shell:user.menu", { name: me.user.name })}>
        <Avatar size="small" className="user-avatar">
          {initials(me.user.name)}
        </Avatar>
        {!compact && <span className="user-button-name">{me.user.name}</span>}
      </Button>
    </Dropdown>
  );
}

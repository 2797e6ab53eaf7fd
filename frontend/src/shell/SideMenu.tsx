import { Menu } from "antd";
import type { MenuProps } from "antd";
import { useTranslation } from "react-i18next";
import { useLocation, useNavigate } from "react-router-dom";

import { MenuIcon } from "./icons";
import { selectedPath, type NavGroup } from "./navigation";

/** The navigation menu, in the side bar or the phone's drawer. */
export function SideMenu({ groups, onNavigate }: { groups: NavGroup[]; onNavigate?: () => void }) {
  const { t } = useTranslation("shell");
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const selected = selectedPath(pathname, groups);

  const items: MenuProps["items"] = groups.map((group) => {
    const children = group.items.map((item) => ({
      key: item.path,
      icon: <MenuIcon name={item.icon} />,
      label: item.label,
    }));
    return group.label === null
      ? { key: group.key, type: "group" as const, children }
      : { key: group.key, type: "group" as const, label: group.label, children };
  });

  return (
    <nav aria-label={t("nav.label")}>
      <Menu
        mode="inline"
        items={items}
        selectedKeys={selected ? [selected] : []}
        onClick={({ key }) => {
          navigate(key);
          onNavigate?.();
        }}
        style={{ borderInlineEnd: "none" }}
      />
    </nav>
  );
}

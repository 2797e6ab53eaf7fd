import { App, ConfigProvider, type ThemeConfig } from "antd";
import type { ReactNode } from "react";

/**
 * Ant Design's default greys for secondary text (45 % black), its link blue and its danger red
 * fall short of the 4.5:1 contrast WCAG AA asks of text; these tokens darken them.
 */
export const ACCESSIBLE_THEME: ThemeConfig = {
  token: {
    colorLink: "#1f5fbf",
    colorLinkHover: "#174a96",
    colorError: "#cf1322",
    colorTextDescription: "rgba(0, 0, 0, 0.65)",
    colorTextTertiary: "rgba(0, 0, 0, 0.62)",
  },
};

/**
 * The theme above for everything inside, plain links included: antd's App element carries
 * the theme's variables down to elements that are not antd components (a router <Link>).
 */
export function AccessibleTheme({ children }: { children: ReactNode }) {
  return (
    <ConfigProvider theme={ACCESSIBLE_THEME}>
      <App>{children}</App>
    </ConfigProvider>
  );
}

import type { ThemeConfig } from "antd";
import { useSyncExternalStore } from "react";

/**
 * The app's one theme. Ant Design's defaults for secondary and placeholder text (45 % black),
 * links (#1677ff), danger (#ff4d4f) and disabled text fall short of the 4.5:1 contrast WCAG AA
 * asks of text on white and light grey; these darken them (65 % black reads at 7:1, #0b4fa8 at
 * 8:1, #c62828 at 5.6:1), so the accessibility check passes on every screen. A default or dashed
 * button's text takes the primary hover colour under the pointer: Ant Design's lighter blue reads
 * at 3.9:1 there, #174a96 at 8.6:1.
 */
export const THEME: ThemeConfig = {
  token: {
    colorPrimary: "#1f5fbf",
    colorPrimaryHover: "#174a96",
    colorPrimaryActive: "#133d7d",
    borderRadius: 6,
    colorLink: "#0b4fa8",
    colorLinkHover: "#174a96",
    colorError: "#c62828",
    colorTextSecondary: "rgba(0, 0, 0, 0.65)",
    colorTextTertiary: "rgba(0, 0, 0, 0.65)",
    colorTextDescription: "rgba(0, 0, 0, 0.65)",
    colorTextPlaceholder: "rgba(0, 0, 0, 0.6)",
  },
};

const REDUCED_MOTION = "(prefers-reduced-motion: reduce)";

function reducedMotion(): boolean {
  return globalThis.matchMedia?.(REDUCED_MOTION).matches ?? false;
}

function onMotionPreference(changed: () => void): () => void {
  const query = globalThis.matchMedia?.(REDUCED_MOTION);
  query?.addEventListener?.("change", changed);
  return () => query?.removeEventListener?.("change", changed);
}

/** The theme, without Ant Design's animations for people whose system asks for less motion
 * (WCAG 2.3.3): menus and drawers then open at once. */
export function useTheme(): ThemeConfig {
  const still = useSyncExternalStore(onMotionPreference, reducedMotion, () => false);
  return still ? STILL_THEME : THEME;
}

const STILL_THEME: ThemeConfig = { ...THEME, token: { ...THEME.token, motion: false } };

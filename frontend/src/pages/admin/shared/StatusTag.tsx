import { Tag } from "antd";
import type { ReactNode } from "react";

export type Tone = "success" | "warning" | "error" | "info" | "neutral";

// antd's preset tag colours (green text on pale green) fall short of WCAG AA contrast;
// these darker solid colours carry white text at 5:1 or better.
const SOLID: Record<Exclude<Tone, "neutral">, string> = {
  success: "#237804",
  warning: "#ad4e00",
  error: "#a8071a",
  info: "#0958d9",
};

/** A state shown as a tag, in a colour that says how it is going and that anyone can read. */
export function StatusTag({ tone, children }: { tone: Tone; children: ReactNode }) {
  return <Tag color={tone === "neutral" ? undefined : SOLID[tone]}>{children}</Tag>;
}

import { DeleteOutlined } from "@ant-design/icons";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { ConfirmAction } from "./ConfirmAction";

describe("an action that asks first", { timeout: 30_000 }, () => {
  it("does nothing until confirmed, then runs it", async () => {
    const onConfirm = vi.fn().mockResolvedValue(undefined);
    render(
      <ConfirmAction
        label="Revoke"
        title="Revoke the token CI?"
        description="Programs using it stop working."
        onConfirm={onConfirm}
      />,
    );
    fireEvent.click(screen.getByRole("button", { name: "Revoke" }));
    expect(await screen.findByText("Revoke the token CI?")).toBeInTheDocument();
    expect(screen.getByText("Programs using it stop working.")).toBeInTheDocument();
    expect(onConfirm).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(onConfirm).not.toHaveBeenCalled();

    fireEvent.click(screen.getAllByRole("button", { name: "Revoke" })[0]!);
    const buttons = await screen.findAllByRole("button", { name: "Revoke" });
    fireEvent.click(buttons[buttons.length - 1]!);
    await waitFor(() => expect(onConfirm).toHaveBeenCalledTimes(1));
  });

  it("names an icon-only button for screen readers", () => {
    render(
      <ConfirmAction
        label="Remove"
        title="Remove Ada?"
        description="She loses access."
        icon={<DeleteOutlined />}
        ariaLabel="Remove Ada from the company"
        onConfirm={vi.fn()}
      />,
    );
    const button = screen.getByRole("button", { name: "Remove Ada from the company" });
    expect(button).toHaveClass("ant-btn-dangerous");
  });
});

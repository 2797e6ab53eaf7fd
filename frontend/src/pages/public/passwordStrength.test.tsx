import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { PasswordStrength } from "./PasswordStrength";
import { judgePassword } from "./passwordStrength";

describe("judgePassword", () => {
  it("is not accepted below the server's 10 characters, or when it is the email", () => {
    expect(judgePassword("short")).toEqual({ strength: 0, hints: ["tooShort"] });
    expect(judgePassword("          x")).toEqual({ strength: 0, hints: ["tooShort"] });
    expect(judgePassword("Ann@Example.com", "ann@example.com")).toEqual({ strength: 0, hints: ["isEmail"] });
    expect(judgePassword("x".repeat(257)).hints).toEqual(["tooLong"]);
  });

  it("rates length first: a long passphrase is strong", () => {
    expect(judgePassword("abcdefghij").strength).toBe(1);
    expect(judgePassword("correct horse battery staple").strength).toBe(4);
    expect(judgePassword("correct horse battery staple").hints).toEqual([]);
  });

  it("counts variety, and says what would help", () => {
    const plain = judgePassword("lowercaseonly");
    expect(plain.strength).toBe(1);
    expect(plain.hints).toEqual(["longer", "mix"]);
    const mixed = judgePassword("Tr0ub4dor&3x");
    expect(mixed.strength).toBe(2);
    expect(mixed.hints).toEqual(["longer"]);
  });

  it("marks down well-known words and repetition", () => {
    const common = judgePassword("Password123456!");
    expect(common.hints).toContain("common");
    expect(common.strength).toBeLessThan(judgePassword("Lantern7!Harbor").strength);
    expect(judgePassword("aaaaaaaaaaaaaaaaaaaaaa").hints).toContain("repeated");
  });
});

describe("PasswordStrength", () => {
  it("states the server's rule before anything is typed", () => {
    render(<PasswordStrength password="" />);
    expect(screen.getByText(/At least 10 characters/)).toBeInTheDocument();
  });

  it("names the strength and gives the hints", () => {
    render(<PasswordStrength password="lowercaseonly" />);
    expect(screen.getByText("Password strength: Weak")).toBeInTheDocument();
    expect(screen.getByText(/Longer is stronger/)).toBeInTheDocument();
    expect(screen.getByText(/Mix upper and lower case/)).toBeInTheDocument();
  });

  it("says the email address is not a password", () => {
    render(<PasswordStrength password="ann@example.com" email="ann@example.com" />);
    expect(screen.getByText("Password strength: Not accepted yet")).toBeInTheDocument();
    expect(screen.getByText("Do not use your email address as the password.")).toBeInTheDocument();
  });
});

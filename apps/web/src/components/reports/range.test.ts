// The page's ranges as the server takes them (the last day excluded), and how
// durations read on the cards.
import { describe, expect, it } from "vitest";
import { formatDuration } from "./format";
import { customRange, lastDayOf, lastDays, todayIn } from "./range";

describe("report ranges", () => {
  it("ends the last N days after today, across a month", () => {
    expect(lastDays(7, "2026-03-02")).toEqual({ from: "2026-02-24", to: "2026-03-03" });
    expect(lastDayOf(lastDays(30, "2026-03-02"))).toBe("2026-03-02");
  });

  it("takes both custom days as included, and refuses backwards or over 366 days", () => {
    expect(customRange("2026-03-09", "2026-03-09")).toEqual({
      from: "2026-03-09",
      to: "2026-03-10",
    });
    expect(customRange("2026-03-10", "2026-03-09")).toHaveProperty("error");
    expect(customRange("2024-01-01", "2024-12-31")).toEqual({
      from: "2024-01-01",
      to: "2025-01-01",
    });
    expect(customRange("2024-01-01", "2025-01-01")).toHaveProperty("error");
    expect(customRange("", "2025-01-01")).toHaveProperty("error");
  });

  it("finds today in the account's zone, not the browser's", () => {
    const now = new Date("2026-03-09T15:30:00Z");
    expect(todayIn("Asia/Tokyo", now)).toBe("2026-03-10");
    expect(todayIn("America/Los_Angeles", now)).toBe("2026-03-09");
  });
});

describe("durations", () => {
  it("reads in the largest sensible unit", () => {
    expect(formatDuration(null)).toBe("–");
    expect(formatDuration(45)).toBe("45 s");
    expect(formatDuration(150)).toBe("3 min");
    expect(formatDuration(2574)).toBe("43 min");
    expect(formatDuration(3 * 3600)).toBe("3 h");
    expect(formatDuration(5400)).toBe("1.5 h");
    expect(formatDuration(2.5 * 86_400)).toBe("2.5 d");
  });
});

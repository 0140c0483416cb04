import { describe, expect, it } from "vitest";
import { fromLocalInput, SNOOZE_PRESETS, toLocalInput } from "./snooze-times";

const preset = (id: string) => {
  const p = SNOOZE_PRESETS.find((x) => x.id === id);
  if (!p) throw new Error(id);
  return p;
};

describe("snooze presets, in local time", () => {
  // Wednesday 2 December 2026, 22:15 local.
  const wednesdayNight = new Date(2026, 11, 2, 22, 15);

  it("one hour ahead", () => {
    expect(preset("hour").until(wednesdayNight)).toEqual(new Date(2026, 11, 2, 23, 15));
  });

  it("tomorrow at nine, across a month's end", () => {
    expect(preset("tomorrow").until(wednesdayNight)).toEqual(new Date(2026, 11, 3, 9, 0));
    expect(preset("tomorrow").until(new Date(2026, 11, 31, 8, 0))).toEqual(
      new Date(2027, 0, 1, 9, 0),
    );
  });

  it("next week is the coming Monday at nine, a week ahead on a Monday", () => {
    expect(preset("next-week").until(wednesdayNight)).toEqual(new Date(2026, 11, 7, 9, 0));
    expect(preset("next-week").until(new Date(2026, 11, 7, 8, 0))).toEqual(
      new Date(2026, 11, 14, 9, 0),
    );
    expect(preset("next-week").until(new Date(2026, 11, 6, 20, 0))).toEqual(
      new Date(2026, 11, 7, 9, 0),
    );
  });

  it("reads back what it writes in a datetime-local input", () => {
    expect(toLocalInput(wednesdayNight)).toBe("2026-12-02T22:15");
    expect(fromLocalInput("2026-12-02T22:15")).toEqual(wednesdayNight);
    expect(fromLocalInput("")).toBeNull();
    expect(fromLocalInput("not a date")).toBeNull();
  });
});

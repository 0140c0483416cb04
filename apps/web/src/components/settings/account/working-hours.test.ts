import { describe, expect, it } from "vitest";
import { hoursFromRows, minuteOf, rowsFromHours, timeOf } from "./working-hours";

describe("working hours in the account form", () => {
  it("shows stored hours as one row per weekday, Monday first, closed days off", () => {
    const rows = rowsFromHours([
      { day: 1, startMinute: 9 * 60, endMinute: 17 * 60 + 30 },
      { day: 0, startMinute: 0, endMinute: 1440 },
    ]);
    expect(rows.map((r) => r.day)).toEqual([1, 2, 3, 4, 5, 6, 0]);
    expect(rows[0]).toEqual({ day: 1, open: true, start: "09:00", end: "17:30" });
    expect(rows[1]).toMatchObject({ day: 2, open: false });
    expect(rows[6]).toEqual({ day: 0, open: true, start: "00:00", end: "00:00" });
  });

  it("stores open days only, midnight as the end of the day, and round-trips", () => {
    const stored = [
      { day: 1, startMinute: 540, endMinute: 1020 },
      { day: 6, startMinute: 600, endMinute: 1440 },
    ];
    const result = hoursFromRows(rowsFromHours(stored));
    expect(result.hours).toEqual(stored);
  });

  it("refuses an end before the start, or a missing time, per day", () => {
    const rows = rowsFromHours([]);
    rows[0] = { day: 1, open: true, start: "17:00", end: "09:00" };
    rows[2] = { day: 3, open: true, start: "", end: "12:00" };
    expect(hoursFromRows(rows)).toEqual({
      hours: null,
      errors: { 1: "The end must be after the start.", 3: "Enter a start and an end time." },
    });
  });

  it("converts times both ways and rejects what is not a time", () => {
    expect(timeOf(0)).toBe("00:00");
    expect(timeOf(1439)).toBe("23:59");
    expect(minuteOf("23:59")).toBe(1439);
    expect(minuteOf("24:00")).toBeNull();
    expect(minuteOf("9:00")).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { externalIdOf, offsetOf, optionsFromDataset, resolveStrings } from "./options";
import { DEFAULT_SETTINGS, resolveSettings } from "./settings";

describe("options", () => {
  it("merges props over the inbox's settings over the defaults", () => {
    const settings = resolveSettings(
      { title: "From props", primaryColor: undefined, greeting: "" },
      { title: "From server", primaryColor: "#112233", subtitle: "Server subtitle" },
    );
    expect(settings.title).toBe("From props");
    expect(settings.primaryColor).toBe("#112233");
    expect(settings.subtitle).toBe("Server subtitle");
    expect(settings.greeting).toBe(DEFAULT_SETTINGS.greeting);
    expect(resolveSettings({ primaryColor: "red; background: url(x)" }, {}).primaryColor).toBe(
      DEFAULT_SETTINGS.primaryColor,
    );
  });

  it("reads data-* attributes", () => {
    expect(
      optionsFromDataset({
        token: "acc",
        primaryColor: "#000000",
        defaultIsOpen: "",
        showAgentAvailability: "false",
        popUpInitialMessage: "1500",
        offsetX: "40",
        customerEmail: "a@b.co",
        customerExternalId: "42",
        unknownThing: "x",
      }),
    ).toEqual({
      token: "acc",
      primaryColor: "#000000",
      defaultIsOpen: true,
      showAgentAvailability: false,
      popUpInitialMessage: 1500,
      offset: { x: 40 },
      customer: { email: "a@b.co", external_id: "42" },
    });
  });

  it("overrides any string and places the widget", () => {
    const strings = resolveStrings({ strings: { send: "Envoyer", nope: "x" } as never });
    expect(strings.send).toBe("Envoyer");
    expect(strings.openChat).toBe("Open chat");
    expect(offsetOf({})).toEqual({ x: 20, y: 20 });
    expect(offsetOf({ offset: 8 })).toEqual({ x: 8, y: 8 });
    expect(offsetOf({ offset: { y: -5 } })).toEqual({ x: 20, y: 0 });
    expect(externalIdOf({ externalId: " 7 " })).toBe("7");
    expect(externalIdOf({ external_id: "" })).toBeUndefined();
  });
});

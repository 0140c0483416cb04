// @netia/widget for React apps: <ChatWidget token="..." /> renders the same
// widget as the script tag, in its own shadow root, with the host's React.
import {
  createElement,
  Fragment,
  forwardRef,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  useState,
} from "react";
import { createPortal } from "react-dom";
import { APP_CSS } from "./app-styles";
import { WidgetController } from "./controller";
import type { ChatWidgetOptions, NetiaApi, NetiaCustomer } from "./options";
import { App } from "./ui/App";

export type {
  ChatWidgetOptions,
  NetiaApi,
  NetiaAttachment,
  NetiaCallbacks,
  NetiaCustomer,
  NetiaInboxSettings,
  NetiaMessage,
  NetiaStrings,
} from "./options";
export { defaultStrings } from "./options";

export type ChatWidgetProps = ChatWidgetOptions;

/**
 * The Netia chat widget. Props are merged over the inbox's settings on the
 * server; a ref gives `open()`, `close()`, `toggle()`, `identify()`, `reset()`.
 */
export const ChatWidget = forwardRef<NetiaApi, ChatWidgetProps>(function ChatWidget(props, ref) {
  const [host, setHost] = useState<HTMLElement | null>(null);
  const [shadow, setShadow] = useState<ShadowRoot | null>(null);
  const [controller, setController] = useState<WidgetController | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const current = useRef<WidgetController | null>(null);

  const { token, inbox, baseUrl } = props;
  useEffect(() => {
    if (!token) return;
    const c = new WidgetController({ ...latest.current, token, inbox, baseUrl });
    current.current = c;
    setController(c);
    void c.start();
    return () => {
      c.destroy();
      if (current.current === c) current.current = null;
    };
  }, [token, inbox, baseUrl]);

  // Later prop changes: text, colours, callbacks, the customer.
  useEffect(() => {
    controller?.setOptions(props);
  });

  useLayoutEffect(() => {
    if (host) setShadow(host.shadowRoot ?? host.attachShadow({ mode: "open" }));
  }, [host]);

  useImperativeHandle(
    ref,
    () => ({
      open: () => current.current?.open(),
      close: () => current.current?.close(),
      toggle: () => current.current?.toggle(),
      identify: (customer: NetiaCustomer, identityHash?: string) =>
        current.current?.identify(customer, identityHash) ?? Promise.resolve(),
      reset: () => current.current?.reset() ?? Promise.resolve(),
    }),
    [],
  );

  return createElement(
    Fragment,
    null,
    createElement("netia-widget", { ref: setHost }),
    shadow && controller
      ? createPortal(
          createElement(
            Fragment,
            null,
            createElement("style", null, APP_CSS),
            createElement(App, { controller }),
          ),
          shadow as unknown as Element,
        )
      : null,
  );
});

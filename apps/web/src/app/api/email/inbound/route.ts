// The same endpoint without the "/mime" suffix, for senders that post the raw
// message (`body-mime`) in Mailgun's format to a URL of their choosing.
export { dynamic, POST, runtime } from "./mime/route";

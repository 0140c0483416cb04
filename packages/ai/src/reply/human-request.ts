// Recognises a customer asking for a person in their own words ("a human
// please", "can I talk to an agent?"), so the assistant steps aside without
// spending a model call. Deliberately narrow: a mention of people in another
// sense ("my agent account", "human resources policy") must not hand off. The
// model's hand_off_to_human tool catches the phrasings this misses.

/** Who the customer may ask for. */
const PERSON =
  "(?:a |an |the |some |real |actual |live |)(?:(?:real|actual|live) )?(?:human(?: being)?|person|people|agent|operator|representative|rep|someone|somebody|staff|team member|support team|customer service|support)";

const PATTERNS: RegExp[] = [
  // "talk to a human", "speak with an agent", "chat to a real person", "connect me to support"
  new RegExp(
    `\\b(?:talk|speak|chat|connect|transfer|put|pass|get)(?: me)?(?: through)? (?:to|with) ${PERSON}\\b`,
  ),
  // "I want a human", "I need to reach an agent", "can I have a real person"
  new RegExp(
    `\\b(?:want|need|like|have|get|give me|reach|see)(?: to (?:talk|speak|chat) (?:to|with))? ${PERSON}(?! (?:account|resources|policy|settings))\\b`,
  ),
  // "human please", "agent!", "operator" alone, "a real person please"
  new RegExp(`^\\s*${PERSON}(?:,? please)?\\s*[.!?]*\\s*$`),
  new RegExp(`\\b${PERSON},? please\\b`),
  // "are you a bot?... let me talk to a human" is covered above; "no bots", "not a bot"
  /\b(?:no|not a|stop the) (?:bot|robot|ai|machine)s?\b/,
];

/** Whether `text` asks to be answered by a person rather than the assistant. */
export function asksForPerson(text: string): boolean {
  const normalised = text.toLowerCase().replace(/[’']/g, "'").replace(/\s+/g, " ");
  return PATTERNS.some((pattern) => pattern.test(normalised));
}

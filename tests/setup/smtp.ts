import { simpleParser, type ParsedMail } from "mailparser";
import { startMailCatcher, type MailCatcher } from "../../app/mail/mail-catcher.server";

/** A real SMTP server on 127.0.0.1 for tests: keeps every message it accepts, parsed. */
export interface TestSmtp extends MailCatcher {
  messages: ParsedMail[];
  /** Resolves with the first message matching, waiting up to `timeoutMs`. */
  waitFor(match: (message: ParsedMail) => boolean, timeoutMs?: number): Promise<ParsedMail>;
}

export async function startTestSmtp(port = 0): Promise<TestSmtp> {
  const messages: ParsedMail[] = [];
  const waiters = new Set<() => void>();
  const catcher = await startMailCatcher(async (message) => {
    messages.push(await simpleParser(message.raw));
    for (const wake of waiters) wake();
  }, port);
  return {
    ...catcher,
    messages,
    waitFor(match, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(match);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`no matching email within ${timeoutMs} ms (received ${messages.length})`),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

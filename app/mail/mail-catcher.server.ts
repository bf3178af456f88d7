import { SMTPServer } from "smtp-server";

// A real SMTP server on 127.0.0.1 that keeps what it receives: the development mailbox (when no
// SMTP_URL is set, so a newcomer running `npm start` sees the emails) and the tests' mail server.

export interface CaughtMessage {
  raw: Buffer;
  from: string | null;
  to: string[];
}

export interface MailCatcher {
  port: number;
  url: string;
  /** Refuse (or accept again) every message, as a server that is down would. */
  setAccepting(accepting: boolean): void;
  close(): Promise<void>;
}

export async function startMailCatcher(
  onMessage: (message: CaughtMessage) => void | Promise<void>,
  port = 0,
): Promise<MailCatcher> {
  let accepting = true;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    banner: "Easy Exit development mailbox",
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (!accepting) {
          callback(Object.assign(new Error("Mailbox unavailable"), { responseCode: 451 }));
          return;
        }
        const from = session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address;
        Promise.resolve(
          onMessage({
            raw: Buffer.concat(chunks),
            from,
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          }),
        )
          .then(() => callback(null))
          .catch((error: unknown) =>
            callback(error instanceof Error ? error : new Error(String(error))),
          );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.server.address();
  const bound = typeof address === "object" && address !== null ? address.port : port;
  return {
    port: bound,
    url: `smtp://127.0.0.1:${bound}`,
    setAccepting: (value) => {
      accepting = value;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

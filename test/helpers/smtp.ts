/**
 * A real SMTP server in the test process (smtp-server, with its built-in test certificate): it takes
 * mail over TCP as a mail server would and parses each message with mailparser. Recipients starting
 * `bounce` are refused with 550 at RCPT TO, `later` with 451; senders starting `blocked` with 553 at MAIL FROM.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** the connection was TLS (implicit or after STARTTLS) when the message came */
  secure: boolean;
  user: string | undefined;
  mail: ParsedMail;
}

export interface TestSmtp {
  port: number;
  received: ReceivedMail[];
  close(): Promise<void>;
}

export async function startSmtp(opts: { secure?: boolean; starttls?: boolean; auth?: { user: string; pass: string } } = {}): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const options: SMTPServerOptions = {
    secure: opts.secure ?? false,
    disabledCommands: [...(opts.starttls === false ? ['STARTTLS'] : []), ...(opts.auth ? [] : ['AUTH'])],
    authOptional: !opts.auth,
    logger: false,
    onAuth(auth, _session, done) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass) return done(null, { user: auth.username });
      return done(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onMailFrom(address, _session, done) {
      if (address.address.startsWith('blocked')) return done(Object.assign(new Error('5.7.1 Sender address rejected'), { responseCode: 553 }));
      return done();
    },
    onRcptTo(address, _session, done) {
      if (address.address.startsWith('bounce')) return done(Object.assign(new Error('5.1.1 Mailbox does not exist'), { responseCode: 550 }));
      if (address.address.startsWith('later')) return done(Object.assign(new Error('4.2.0 Greylisted, try again later'), { responseCode: 451 }));
      return done();
    },
    onData(stream, session, done) {
      simpleParser(stream).then((mail) => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          secure: session.secure,
          user: session.user as string | undefined,
          mail,
        });
        done();
      }, done);
    },
  };
  const server = new SMTPServer(options);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

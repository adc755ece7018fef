/**
 * A scripted SMTP server (plaintext, for loopback tests) whose answer to each RCPT the test
 * decides and may change between attempts: `answers[address]`, default 250. It records every
 * transaction that got as far as the final dot, and every address given to RCPT.
 */
import { greetAndEhlo, startFaultServer, type FaultConnection, type FaultServer } from '../../testing/smtp-fault-server.js';

export interface RecipientTransaction {
  /** The addresses given to RCPT in this transaction, in order. */
  recipients: string[];
  accepted: string[];
  messageId: string | null;
}

export interface RecipientServer {
  srv: FaultServer;
  /** Transactions whose body was received (the message went to `accepted`). */
  transactions: RecipientTransaction[];
  /** How many times an address was given to RCPT. */
  rcptCount(address: string): number;
}

export async function startRecipientServer(answers: Record<string, string>): Promise<RecipientServer> {
  const transactions: RecipientTransaction[] = [];
  const rcpts: string[] = [];
  const srv = await startFaultServer(async (c: FaultConnection) => {
    await greetAndEhlo(c, ['ENHANCEDSTATUSCODES', '8BITMIME']);
    let tx: RecipientTransaction = { recipients: [], accepted: [], messageId: null };
    for (;;) {
      const line = await c.nextLine(20_000);
      if (line === null) return;
      const verb = line.split(' ')[0]?.toUpperCase();
      if (verb === 'MAIL') {
        tx = { recipients: [], accepted: [], messageId: null };
        c.send('250 2.1.0 ok\r\n');
      } else if (verb === 'RCPT') {
        const address = /<([^>]*)>/.exec(line)?.[1] ?? '';
        rcpts.push(address);
        tx.recipients.push(address);
        const answer = answers[address] ?? '250 2.1.5 ok';
        if (answer.startsWith('250')) tx.accepted.push(address);
        c.send(`${answer}\r\n`);
      } else if (verb === 'DATA') {
        if (tx.accepted.length === 0) { c.send('554 5.5.1 no valid recipients\r\n'); continue; }
        c.send('354 go ahead\r\n');
        const body = await c.readData(20_000);
        if (body === null) return;
        tx.messageId = /^Message-ID:\s*(\S+)/im.exec(body.toString('latin1'))?.[1] ?? null;
        transactions.push(tx);
        c.send('250 2.0.0 ok queued\r\n');
      } else if (verb === 'RSET' || verb === 'NOOP') c.send('250 2.0.0 ok\r\n');
      else if (verb === 'QUIT') { c.send('221 2.0.0 bye\r\n'); c.end(); return; }
      else c.send('500 5.5.2 what?\r\n');
    }
  });
  return { srv, transactions, rcptCount: (address) => rcpts.filter((a) => a === address).length };
}

/** One message as the customer's transcript shows it (internal notes are never passed in). */
export interface TranscriptLine {
  createdAt: Date;
  senderKind: 'customer' | 'agent' | 'system';
  senderName: string | null;
  body: string;
  attachments: { fileName: string; size: number }[];
}

export interface TranscriptInput {
  siteName: string;
  conversationId: string;
  customerName: string | null;
  startedAt: Date;
  closedAt: Date | null;
  lines: TranscriptLine[];
}

/** "2026-11-26 14:03:09 UTC": unambiguous for anyone the file is forwarded to. */
export function transcriptTime(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Sizes as people read them: 812 B, 4.2 KB, 3.1 MB. */
export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function senderLabel(line: TranscriptLine, customerName: string | null): string {
  switch (line.senderKind) {
    case 'customer':
      return customerName ?? 'You';
    case 'agent':
      return line.senderName ?? 'Agent';
    case 'system':
      return 'Notice';
  }
}

/**
 * The plain-text transcript a customer downloads: a heading, then one block per message with its time
 * and sender, continuation lines indented, and the names of attached files.
 */
export function renderTranscript(input: TranscriptInput): string {
  const out: string[] = [
    `Chat transcript — ${input.siteName}`,
    `Conversation ${input.conversationId}`,
    `Started: ${transcriptTime(input.startedAt)}`,
    `Ended: ${input.closedAt ? transcriptTime(input.closedAt) : 'still open'}`,
    '',
  ];
  for (const line of input.lines) {
    const [first, ...rest] = line.body.split(/\r\n|\r|\n/);
    out.push(`[${transcriptTime(line.createdAt)}] ${senderLabel(line, input.customerName)}: ${first}`);
    for (const more of rest) out.push(`    ${more}`);
    for (const file of line.attachments)
      out.push(`    (attachment: ${file.fileName}, ${humanSize(file.size)})`);
  }
  return `${out.join('\n')}\n`;
}

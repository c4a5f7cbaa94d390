/** `offset` days from today, as the `YYYY-MM-DD` a date input holds. */
export const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** The instant after the last day shown: a period of whole days ends the day after `to`. */
export function dayAfter(to: string): string {
  const end = new Date(`${to}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  return end.toISOString();
}

/** "From" and "To" date inputs of a page's toolbar. */
export function DateRange({
  from,
  to,
  onFrom,
  onTo,
}: {
  from: string;
  to: string;
  onFrom: (value: string) => void;
  onTo: (value: string) => void;
}) {
  return (
    <>
      <label>
        From{' '}
        <input
          type="date"
          name="from"
          value={from}
          onInput={(e) => onFrom((e.target as HTMLInputElement).value)}
        />
      </label>
      <label>
        To{' '}
        <input type="date" name="to" value={to} onInput={(e) => onTo((e.target as HTMLInputElement).value)} />
      </label>
    </>
  );
}

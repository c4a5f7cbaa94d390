import { QueueLabels } from './queue-labels.js';

function recordingLookup(names: Record<string, string>) {
  const calls: string[] = [];
  const lookup = async (id: string) => {
    calls.push(id);
    if (id === 'broken') throw new Error('database down');
    return names[id];
  };
  return { calls, lookup };
}

describe('QueueLabels', () => {
  it('looks a new queue up, then answers from the cache', async () => {
    const { calls, lookup } = recordingLookup({ q1: 'Claims' });
    const labels = new QueueLabels(lookup);
    const seen: string[] = [];
    labels.use('q1', (label) => seen.push(label));
    expect(seen).toEqual([]); // not yet known
    await labels.settled();
    labels.use('q1', (label) => seen.push(label));
    expect(seen).toEqual(['Claims', 'Claims']);
    expect(calls).toEqual(['q1']);
  });

  it('falls back to the id for an unknown queue or a failed lookup', async () => {
    const labels = new QueueLabels(recordingLookup({}).lookup);
    const seen: string[] = [];
    labels.use('gone', (label) => seen.push(label));
    labels.use('broken', (label) => seen.push(label));
    await labels.settled();
    expect(seen.sort()).toEqual(['broken', 'gone']);
  });

  it('takes current names from a refresh, renames included, without a lookup', () => {
    const { calls, lookup } = recordingLookup({ q1: 'Claims' });
    const labels = new QueueLabels(lookup);
    labels.replace([{ id: 'q1', name: 'Motor claims' }]);
    const seen: string[] = [];
    labels.use('q1', (label) => seen.push(label));
    expect(seen).toEqual(['Motor claims']);
    expect(calls).toEqual([]);
  });
});

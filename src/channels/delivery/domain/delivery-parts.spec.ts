import { deliveryParts, partKey } from './delivery-parts.js';

const photo = { id: 'a1', name: 'bumper.jpg', contentType: 'image/jpeg', size: 2048 };
const pdf = { id: 'a2', name: 'estimate.pdf', contentType: 'application/pdf', size: 4096 };
const file = (f: typeof photo, caption?: string) => ({
  type: 'file',
  attachmentId: f.id,
  fileName: f.name,
  contentType: f.contentType,
  size: f.size,
  ...(caption === undefined ? {} : { caption }),
});

describe('deliveryParts', () => {
  it('sends a message without files as one text', () => {
    expect(deliveryParts('Hello', [], 1024)).toEqual([{ type: 'text', text: 'Hello' }]);
  });

  it('puts the text on the first file as its caption when it fits, one part per file', () => {
    expect(deliveryParts('Your estimate', [photo, pdf], 1024)).toEqual([
      file(photo, 'Your estimate'),
      file(pdf),
    ]);
    expect(deliveryParts('x'.repeat(1024), [photo], 1024)[0]).toEqual(file(photo, 'x'.repeat(1024)));
  });

  it('sends the text first on networks without captions, or when it is longer than a caption may be', () => {
    expect(deliveryParts('Your estimate', [photo, pdf], null)).toEqual([
      { type: 'text', text: 'Your estimate' },
      file(photo),
      file(pdf),
    ]);
    expect(deliveryParts('x'.repeat(1025), [photo], 1024)).toEqual([
      { type: 'text', text: 'x'.repeat(1025) },
      file(photo),
    ]);
  });

  it('sends files alone when the message has no text', () => {
    expect(deliveryParts('', [photo], null)).toEqual([file(photo)]);
    expect(deliveryParts('', [photo], 1024)).toEqual([file(photo)]);
  });
});

describe('partKey', () => {
  it('keeps the message id for the first part and adds the index for the others', () => {
    expect(partKey('6f1d0e8a-0b4f-4a57-9a3c-1a2b3c4d5e6f', 0)).toBe('6f1d0e8a-0b4f-4a57-9a3c-1a2b3c4d5e6f');
    expect(partKey('6f1d0e8a-0b4f-4a57-9a3c-1a2b3c4d5e6f', 2)).toBe('6f1d0e8a-0b4f-4a57-9a3c-1a2b3c4d5e6f:2');
  });
});

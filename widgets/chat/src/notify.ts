/**
 * Getting the customer's attention when an answer arrives while the host page's tab is hidden: the tab
 * title alternates with "(n) New message" until the tab is shown again, and a short tone plays (WebAudio,
 * no audio file: nothing for the host's CSP to allow).
 */
export class Attention {
  private unread = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private originalTitle = '';
  private audio: AudioContext | null = null;

  constructor() {
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) this.stop();
    });
    // Browsers let audio start only after a user gesture; prepare the context on the first one.
    const unlock = () => {
      this.context()
        ?.resume()
        .catch(() => undefined);
    };
    window.addEventListener('pointerdown', unlock, { once: true, capture: true });
    window.addEventListener('keydown', unlock, { once: true, capture: true });
  }

  /** Called for each message from the other side; does nothing while the tab is visible. */
  alert(title: string): void {
    if (!document.hidden) return;
    this.unread += 1;
    if (this.timer === null) {
      this.originalTitle = document.title;
      let flip = false;
      this.timer = setInterval(() => {
        flip = !flip;
        document.title = flip ? `(${this.unread}) ${title}` : this.originalTitle;
      }, 1000);
      document.title = `(${this.unread}) ${title}`;
    }
    this.beep();
  }

  get flashing(): boolean {
    return this.timer !== null;
  }

  private stop(): void {
    if (this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
      document.title = this.originalTitle;
    }
    this.unread = 0;
  }

  private context(): AudioContext | null {
    if (this.audio) return this.audio;
    try {
      this.audio = new AudioContext();
    } catch {
      this.audio = null;
    }
    return this.audio;
  }

  private beep(): void {
    const ctx = this.context();
    if (!ctx || ctx.state !== 'running') return;
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.2, ctx.currentTime + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.25);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start();
    oscillator.stop(ctx.currentTime + 0.3);
  }
}

// A progress bar on stderr for long command-line tasks: rows done / total, rate and time left.
// On a terminal it redraws one line (at most 10 times a second); otherwise (a file, a CI log)
// it prints a plain line at every tenth of the way.

const WIDTH = 24;

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m} min ${String(s % 60).padStart(2, "0")} s`
    : `${Math.floor(m / 60)} h ${m % 60} min`;
}

const count = new Intl.NumberFormat("en-GB");

export class ProgressBar {
  private total = 0;
  private started = 0;
  private lastDraw = 0;
  private lastTenth = -1;
  private done = 0;
  private readonly tty: boolean;

  constructor(
    private readonly label: string,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = out.isTTY === true;
  }

  start(total: number): void {
    this.total = total;
    this.started = performance.now();
    this.draw(true);
  }

  update(done: number): void {
    this.done = done;
    this.draw(false);
  }

  /** The final line, kept on screen. */
  finish(): void {
    this.done = Math.max(this.done, this.total);
    this.draw(true);
    if (this.tty) this.out.write("\n");
  }

  /** Clears a terminal line so that an error message starts on its own line. */
  abort(): void {
    if (this.tty && this.lastDraw > 0) this.out.write("\n");
  }

  private line(): string {
    const elapsed = (performance.now() - this.started) / 1000;
    const fraction = this.total === 0 ? 1 : Math.min(1, this.done / this.total);
    const filled = Math.round(fraction * WIDTH);
    const rate = elapsed > 0 ? this.done / elapsed : 0;
    const left = rate > 0 ? (this.total - this.done) / rate : Number.POSITIVE_INFINITY;
    return (
      `${this.label} [${"█".repeat(filled)}${"░".repeat(WIDTH - filled)}] ` +
      `${String(Math.floor(fraction * 100)).padStart(3)} % ${count.format(this.done)}/${count.format(this.total)} rows` +
      ` · ${count.format(Math.round(rate))} rows/s · ${this.done >= this.total ? `done in ${duration(elapsed)}` : `ETA ${duration(left)}`}`
    );
  }

  private draw(force: boolean): void {
    const now = performance.now();
    if (this.tty) {
      if (!force && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.out.write(`\r${this.line()}\u001b[K`);
      return;
    }
    const tenth = this.total === 0 ? 10 : Math.floor((this.done / this.total) * 10);
    if (tenth === this.lastTenth) return;
    this.lastTenth = tenth;
    this.lastDraw = now;
    this.out.write(`${this.line()}\n`);
  }
}

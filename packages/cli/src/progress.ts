import type { OutputStream } from './io.js';

/**
 * A progress bar on a terminal stream; on anything else (a pipe, a file, a
 * test) it stays silent until {@link Progress.finish} prints one summary line.
 */
export class Progress {
  private done = 0;
  private lastDraw = 0;
  private readonly tty: boolean;

  constructor(
    private readonly stream: OutputStream,
    /** Total units expected. */
    readonly total: number,
    /** Shown before the bar, e.g. the view name. */
    private readonly label: string,
    private readonly now: () => number = Date.now,
  ) {
    this.tty = stream.isTTY === true;
  }

  /** Units completed so far. */
  get completed(): number {
    return this.done;
  }

  /** Adds `n` completed units and redraws (at most every 80 ms, and at the end). */
  advance(n: number): void {
    if (!(n > 0)) return;
    this.done = Math.min(this.total, this.done + n);
    if (!this.tty) return;
    const t = this.now();
    if (this.done < this.total && t - this.lastDraw < 80) return;
    this.lastDraw = t;
    this.stream.write(`\r${this.render()}`);
  }

  /** The bar's text, e.g. `driver_stats [#######.............]  35% 350/1000 rows`. */
  render(): string {
    const width = Math.max(10, Math.min(30, (this.stream.columns || 80) - this.label.length - 30));
    const ratio = this.total === 0 ? 1 : this.done / this.total;
    const filled = Math.round(ratio * width);
    const pct = `${Math.floor(ratio * 100)}%`.padStart(4);
    return `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct} ${this.done}/${this.total} rows`;
  }

  /** Clears the bar (on a terminal) and prints the summary line. */
  finish(summary: string): void {
    this.stream.write(`${this.tty ? '\r\x1b[2K' : ''}${summary}\n`);
  }

  /** Clears the bar after a failure, so an error message starts on a clean line. */
  abort(): void {
    if (this.tty && this.done > 0) this.stream.write('\r\x1b[2K');
  }
}

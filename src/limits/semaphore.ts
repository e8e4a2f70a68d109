/** A Semaphore's queue was full: the caller answers at once (429/503) instead of waiting. */
export class SaturatedError extends Error {
  constructor () {
    super('saturated')
    this.name = 'SaturatedError'
  }
}

/**
 * At most `concurrency` tasks run at once and at most `maxQueue` wait, in arrival order; one more
 * is refused with SaturatedError before it starts, so a flood costs a bounded wait to those admitted
 * and nothing to anyone else.
 */
export class Semaphore {
  private running = 0
  private readonly waiting: Array<() => void> = []

  constructor (readonly concurrency: number, readonly maxQueue: number) {}

  /** Tasks running or waiting: 0 means this semaphore can be dropped. */
  get load (): number { return this.running + this.waiting.length }

  async run<T> (task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxQueue) throw new SaturatedError()
      await new Promise<void>((resolve) => this.waiting.push(resolve))
    } else {
      this.running++
    }
    try {
      return await task()
    } finally {
      // The slot passes straight to the next waiter, so `running` never dips below a queued demand.
      const next = this.waiting.shift()
      if (next) next()
      else this.running--
    }
  }
}

/** One Semaphore per key (a company), created on first use and dropped when idle, so memory follows the active keys. */
export class KeyedSemaphore {
  private readonly byKey = new Map<string | number, Semaphore>()

  constructor (readonly concurrency: number, readonly maxQueue: number) {}

  async run<T> (key: string | number, task: () => Promise<T>): Promise<T> {
    let semaphore = this.byKey.get(key)
    if (!semaphore) {
      semaphore = new Semaphore(this.concurrency, this.maxQueue)
      this.byKey.set(key, semaphore)
    }
    try {
      return await semaphore.run(task)
    } finally {
      if (semaphore.load === 0) this.byKey.delete(key)
    }
  }
}

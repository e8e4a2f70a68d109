import { availableParallelism } from 'node:os'
import type { Config } from '../../config.js'
import { HttpProblem } from '../../errors.js'
import { SaturatedError, Semaphore } from '../../limits/semaphore.js'

const RETRY_AFTER_S = 1

/**
 * Every argon2 hash and verification of the process, whichever route asked, goes through this one
 * queue: as many run at once as the machine has cores (each is ~20 MiB and tens of ms of one core,
 * on libuv's thread pool), ARGON2_QUEUE_MAX wait, and one more is refused at once with 503, so a
 * flood of password work costs everyone else's logins at most the queue's length, not the flood's.
 * Module state rather than a decorator: the CLI (seed, default owner) hashes through it too.
 */
let queue = new Semaphore(availableParallelism(), 32)

export function configureArgon2Queue (config: Pick<Config, 'ARGON2_CONCURRENCY' | 'ARGON2_QUEUE_MAX'>): void {
  queue = new Semaphore(config.ARGON2_CONCURRENCY ?? availableParallelism(), config.ARGON2_QUEUE_MAX)
}

export function argon2Work<T> (task: () => Promise<T>): Promise<T> {
  return queue.run(task).catch((error: unknown) => {
    if (error instanceof SaturatedError) {
      throw new HttpProblem(503, `The server is busy checking passwords: retry in ${RETRY_AFTER_S} s.`, { headers: { 'retry-after': String(RETRY_AFTER_S) } })
    }
    throw error
  })
}

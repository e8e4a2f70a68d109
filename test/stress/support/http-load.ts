import http from 'node:http'

export type HttpLoadFigures = { sent: number, completed: number, byStatus: Record<string, number>, errors: Record<string, number> }

/**
 * Keep-alive HTTP clients looping over `paths` as fast as the server answers, counting answers by
 * status and failures by error code. A loop ends at its first refused connection (the server is gone).
 */
export function httpLoad (port: number, paths: string[], concurrency: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
  const figures: HttpLoadFigures = { sent: 0, completed: 0, byStatus: {}, errors: {} }
  const state = { running: true }
  const once = (path: string) => new Promise<'ok' | 'refused' | 'error'>((resolve) => {
    figures.sent++
    const request = http.get({ host: '127.0.0.1', port, path, agent }, (response) => {
      response.resume()
      response.on('end', () => {
        figures.completed++
        figures.byStatus[response.statusCode!] = (figures.byStatus[response.statusCode!] ?? 0) + 1
        resolve('ok')
      })
      response.on('error', (error: NodeJS.ErrnoException) => fail(error))
    })
    const fail = (error: NodeJS.ErrnoException) => {
      const kind = error.code ?? error.message
      figures.errors[kind] = (figures.errors[kind] ?? 0) + 1
      resolve(kind === 'ECONNREFUSED' ? 'refused' : 'error')
    }
    request.on('error', fail)
  })
  let n = 0
  const loops = Array.from({ length: concurrency }, async () => {
    while (state.running) {
      if (await once(paths[n++ % paths.length]) === 'refused') return
    }
  })
  return {
    figures,
    async stop () {
      state.running = false
      await Promise.all(loops)
      agent.destroy()
    }
  }
}

import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { ConfigError, loadProcessConfig, type Config } from './config.js'

function loadConfigOrExit (): Config {
  try {
    return loadProcessConfig()
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    console.error(`${error.message}\nThe service did not start. Fix the settings above (see the configuration table in README.md).`)
    process.exit(1)
  }
}

const config = loadConfigOrExit()
const app = await buildApp(config)

if (!config.secretKeyFromEnv) app.log.warn('SECRET_KEY is not set: using a random key, so tokens will not survive a restart (fine for development)')

// SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close the pool (onClose), exit 0.
closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error')
  else app.log.info({ signal }, 'shutting down')
  await app.close()
})

try {
  await app.listen({ host: config.HOST, port: config.PORT })
} catch (error) {
  app.log.fatal({ err: error }, 'could not listen')
  await app.close()
  process.exit(1)
}

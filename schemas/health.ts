import { Type } from '@sinclair/typebox'

export const HealthStatus = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unhealthy')], { examples: ['ok'] })
}, { $id: 'HealthStatus' })

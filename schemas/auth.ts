import { Type, type Static } from '@sinclair/typebox'
import { DateTime } from './common.js'

/** The companies table's limit (its CHECK): a company named after a longer email needs company_name. */
export const COMPANY_NAME_MAX = 200

export const PASSWORD_MIN_LENGTH = 8
export const PASSWORD_MAX_LENGTH = 128

const Email = Type.String({ format: 'email', maxLength: 254, description: 'Trimmed and lower-cased before use', examples: ['ana@example.com'] })
// Length is checked by validation, before any hashing: a 1 MB password costs nothing.
const NewPassword = Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, description: '8 to 128 characters, not a common password' })
const AnyPassword = Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH })
export const Role = Type.Union([Type.Literal('viewer'), Type.Literal('admin'), Type.Literal('owner')], { description: 'viewer < admin < owner' })

export const RegisterBody = Type.Object({
  email: Email,
  password: NewPassword,
  company_name: Type.Optional(Type.String({ minLength: 1, maxLength: COMPANY_NAME_MAX, description: `A new company; named after the email when omitted (so required when the email is longer than ${COMPANY_NAME_MAX} characters)` }))
}, { additionalProperties: false })
export type RegisterInput = Static<typeof RegisterBody>

// The example is the development login (src/modules/auth/default-owner.ts), so /docs' "Try it out"
// on POST /v2/auth/token works as it stands on a fresh `npm start`; production refuses that login.
export const JsonLoginBody = Type.Object({ email: Email, password: AnyPassword }, {
  additionalProperties: false, examples: [{ email: 'admin@example.com', password: 'dev-only-admin-password' }]
})

/** The OAuth2 password grant form (RFC 6749 §4.3) that Swagger UI's Authorize button posts. */
export const FormLoginBody = Type.Object({
  username: Email,
  password: AnyPassword,
  grant_type: Type.Optional(Type.Literal('password')),
  scope: Type.Optional(Type.String()),
  client_id: Type.Optional(Type.String()),
  client_secret: Type.Optional(Type.String())
}, { additionalProperties: false })

export type LoginBody = Static<typeof JsonLoginBody> | Static<typeof FormLoginBody>

export const TokenResponse = Type.Object({
  access_token: Type.String({ description: 'JWT for "Authorization: Bearer"' }),
  token_type: Type.Literal('bearer'),
  expires_in: Type.Integer({ description: 'Seconds until the access token expires', examples: [900] })
}, { title: 'TokenResponse', description: 'The refresh token travels only in the httpOnly refresh cookie' })
export type TokenResult = Static<typeof TokenResponse>

export const User = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  role: Role,
  company_id: Type.Integer(),
  is_active: Type.Boolean(),
  created_at: DateTime
}, { title: 'User' })
export type UserView = Static<typeof User>

export const UserList = Type.Object({ items: Type.Array(User) }, { title: 'UserList' })

export const CreateUserBody = Type.Object({
  email: Email,
  password: NewPassword,
  role: Type.Union([Type.Literal('viewer'), Type.Literal('admin')], { default: 'viewer', description: 'Owners are made only by registering a company' })
}, { additionalProperties: false })
export type CreateUserInput = Static<typeof CreateUserBody>

export const UpdateUserBody = Type.Object({
  is_active: Type.Boolean({ description: 'false deactivates the user and revokes all its sessions' })
}, { additionalProperties: false })

/**
 * A path id is decimal digits only. An integer schema coerces the text with Number(), which read
 * /users/0x4, /4.0 and /1e3 as ids 4, 4 and 1000 (issue 22): the route converts the checked digits.
 * Fifteen digits at most, so every id is a safe integer.
 */
export const UserParams = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,14}$', description: 'The user id, in decimal digits', examples: ['42'] }) })

export const ChangePasswordBody = Type.Object({
  current_password: AnyPassword,
  new_password: NewPassword
}, { additionalProperties: false })

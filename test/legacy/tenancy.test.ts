import t from 'tap'
import { buildTestApp, createUserWithToken } from '../helper.js'
import { oldCampaign, v1 } from './support.js'

// A hostile tenant on the old routes: it sees, changes and deletes nothing of another company.

t.test('another company reads, finds, changes and deletes nothing through v1', async (t) => {
  const app = await buildTestApp(t)
  const victim = await createUserWithToken(app)
  const attacker = await createUserWithToken(app)
  t.equal((await v1(app, victim.authorization, 'POST', '/campaigns/', oldCampaign('Secret'))).statusCode, 201)

  const list = (await v1(app, attacker.authorization, 'GET', '/campaigns/?limit=100')).json()
  t.same({ data: list.data, total: list.total }, { data: [], total: 0 }, 'the list and its total count only the caller\'s company')
  t.same((await v1(app, attacker.authorization, 'GET', '/campaigns/search-by-date/?start_date=2000-01-01&end_date=2100-01-01')).json(), [])
  t.equal((await v1(app, attacker.authorization, 'GET', '/campaigns/Secret')).statusCode, 404)
  t.equal((await v1(app, attacker.authorization, 'PUT', '/campaigns/Secret', { alcance: 1 })).statusCode, 404)
  t.equal((await v1(app, attacker.authorization, 'DELETE', '/campaigns/Secret')).statusCode, 404)
  // The same name in the attacker's company is its own campaign, not the victim's.
  t.equal((await v1(app, attacker.authorization, 'POST', '/campaigns/', oldCampaign('Secret', { company_id: victim.companyId, alcance: 7 }))).statusCode, 201)

  const kept = (await v1(app, victim.authorization, 'GET', '/campaigns/Secret')).json()
  t.equal(kept.alcance, oldCampaign('x').alcance, 'the victim\'s campaign is untouched')
  t.equal(kept.company_id, victim.companyId)
  t.equal((await v1(app, victim.authorization, 'GET', '/campaigns/')).json().total, 1)
})

t.test('roles as in v2: viewers read, admins write, owners delete and add users', async (t) => {
  const app = await buildTestApp(t)
  const owner = await createUserWithToken(app)
  const admin = await createUserWithToken(app, { role: 'admin', companyId: owner.companyId })
  const viewer = await createUserWithToken(app, { role: 'viewer', companyId: owner.companyId })
  t.equal((await v1(app, viewer.authorization, 'POST', '/campaigns/', oldCampaign('V'))).statusCode, 403, 'a viewer cannot create')
  t.equal((await v1(app, admin.authorization, 'POST', '/campaigns/', oldCampaign('A'))).statusCode, 201, 'an admin creates')
  t.equal((await v1(app, viewer.authorization, 'GET', '/campaigns/A')).statusCode, 200, 'a viewer reads')
  t.equal((await v1(app, viewer.authorization, 'PUT', '/campaigns/A', { alcance: 1 })).statusCode, 403, 'a viewer cannot change')
  t.equal((await v1(app, admin.authorization, 'PUT', '/campaigns/A', { alcance: 1 })).statusCode, 200, 'an admin changes')
  t.equal((await v1(app, admin.authorization, 'DELETE', '/campaigns/A')).statusCode, 403, 'an admin cannot delete')
  const newUser = { email: 'new-user@example.com', password: 'Tangerine-Violin-42' }
  t.equal((await v1(app, admin.authorization, 'POST', '/auth/create_user', newUser)).statusCode, 403, 'only an owner adds users')
  t.equal((await v1(app, owner.authorization, 'DELETE', '/campaigns/A')).statusCode, 204, 'an owner deletes')
  for (const [method, url] of [['GET', '/campaigns/'], ['GET', '/campaigns/A'], ['GET', '/auth/me'], ['POST', '/campaigns/']] as const) {
    t.equal((await app.inject({ method, url })).statusCode, 401, `${method} ${url} without a token`)
  }
})

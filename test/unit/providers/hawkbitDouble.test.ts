import * as assert from 'node:assert/strict';
import { HawkbitDouble } from '../../doubles/hawkbit/hawkbitDouble';

/** The double must refuse what a real hawkBit refuses, or the contract suite proves nothing. */
describe('hawkBit double: it is strict where the reference says so', () => {
  let double: HawkbitDouble;
  const auth = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${double.url}/rest/v1/${path}`, {
      method,
      headers: { authorization: auth, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : undefined) as { errorCode?: string; content?: unknown[] } & Record<string, unknown> };
  };
  const module = { type: 'os', name: 'm', version: '1' };

  for (const generation of ['legacy', 'current'] as const) {
    describe(generation, () => {
      beforeEach(async () => {
        double = await new HawkbitDouble(generation).start();
      });
      afterEach(() => double.close());

      it('refuses a single object where an array is required, unknown fields, nulls and missing required fields', async () => {
        assert.equal((await call('POST', 'softwaremodules', module)).json.errorCode, 'hawkbit.server.error.rest.body.notReadable');
        assert.equal((await call('POST', 'softwaremodules', [{ ...module, colour: 'red' }])).json.errorCode, 'hawkbit.server.error.rest.body.notReadable');
        assert.equal((await call('POST', 'softwaremodules', [{ ...module, vendor: null }])).json.errorCode, 'hawkbit.server.error.rest.body.notReadable');
        assert.equal((await call('POST', 'softwaremodules', [{ type: 'os', name: 'm' }])).json.errorCode, 'hawkbit.server.error.repo.constraintViolation');
        assert.equal((await call('POST', 'softwaremodules', [{ ...module, type: 'nope' }])).json.errorCode, 'hawkbit.server.error.repo.entityNotFound');
        assert.equal((await call('POST', 'softwaremodules', '[{')).json.errorCode, 'hawkbit.server.error.rest.body.notReadable');
        const ok = await call('POST', 'softwaremodules', [module]);
        assert.equal(ok.status, 201);
        assert.equal((await call('POST', 'softwaremodules', [module])).status, 409);
      });

      it('refuses enum spellings other than the documented literals, and answers void ops per generation', async () => {
        double.addTarget('t1');
        const [m] = (await call('POST', 'softwaremodules', [module])).json as unknown as { id: number }[];
        const [ds] = (await call('POST', 'distributionsets', [{ name: 'd', version: '1', modules: [{ id: m!.id }] }])).json as unknown as { id: number }[];
        assert.equal((await call('POST', `distributionsets/${ds!.id}/assignedTargets`, [{ id: 't1', type: 'FORCED' }])).json.errorCode, 'hawkbit.server.error.rest.body.notReadable');
        assert.equal((await call('POST', `distributionsets/${ds!.id}/assignedTargets`, [{ id: 't1', type: 'soft' }, { id: 'T1', type: 'forced' }])).json.errorCode, 'hawkbit.server.error.multiAssignmentNotEnabled');
        const assigned = await call('POST', `distributionsets/${ds!.id}/assignedTargets`, [{ id: 'T1', type: 'soft' }, { id: 'ghost' }]);
        assert.deepEqual([assigned.status, assigned.json.assigned, assigned.json.total], [200, 1, 1], 'case-insensitive ids; unknown ids ignored');
        const rollout = await call('POST', 'rollouts', { name: 'r', distributionSetId: ds!.id, targetFilterQuery: 'id==t*', successCondition: { condition: 'threshold', expression: '50' } });
        assert.equal(rollout.json.errorCode, 'hawkbit.server.error.rest.body.notReadable', 'conditions are UPPERCASE');
        const r = await call('POST', 'rollouts', { name: 'r', distributionSetId: ds!.id, targetFilterQuery: 'id==t*' });
        assert.equal(r.status, 201);
        assert.equal(r.json.status, 'creating');
        assert.equal((await call('POST', `rollouts/${String(r.json.id)}/start`)).json.errorCode, 'hawkbit.server.error.rollout.illegalState', 'not ready yet');
        await call('GET', `rollouts/${String(r.json.id)}`);
        await call('GET', `rollouts/${String(r.json.id)}`);
        assert.equal((await call('POST', `rollouts/${String(r.json.id)}/start`)).status, generation === 'current' ? 204 : 200);
        const action = (await call('GET', 'targets/t1/actions')).json.content![0] as { id: number };
        const one = (await call('GET', `targets/t1/actions/${action.id}`)).json;
        if (generation === 'current') assert.ok('active' in one && !('detailStatus' in one));
        else assert.ok(one.detailStatus === 'running' && one.status === 'pending');
        const types = (await call('GET', 'softwaremoduletypes')).json.content as { minArtifacts?: number }[];
        assert.equal(types.every((t) => t.minArtifacts !== undefined), generation === 'current');
      });

      it('takes the artifact only as the multipart part "file" and checks the given hashes', async () => {
        const [m] = (await call('POST', 'softwaremodules', [module])).json as unknown as { id: number }[];
        const form = (field: string) => {
          const f = new FormData();
          f.append(field, new Blob([Buffer.from('hello world')]), 'origFilename');
          return f;
        };
        const post = (field: string, query = '') => fetch(`${double.url}/rest/v1/softwaremodules/${m!.id}/artifacts${query}`, { method: 'POST', headers: { authorization: auth }, body: form(field) });
        assert.equal((await post('upload')).status, 400);
        const wrong = await post('file', '?md5sum=00000000000000000000000000000000');
        assert.equal(((await wrong.json()) as { errorCode: string }).errorCode, 'hawkbit.server.error.artifact.uploadFailed.checksum.md5.match');
        const ok = await post('file');
        assert.equal(ok.status, 201);
        const body = (await ok.json()) as { hashes: { sha256: string }; providedFilename: string; size: number };
        assert.deepEqual([body.providedFilename, body.size], ['origFilename', 11]);
        assert.equal((await post('file')).status, 409);
      });

      it('401 without a body of ExceptionInfo but with WWW-Authenticate; bad FIQL is rsqlParamSyntax', async () => {
        const res = await fetch(`${double.url}/rest/v1/targets`, { headers: { authorization: `Basic ${Buffer.from('admin:x').toString('base64')}` } });
        assert.equal(res.status, 401);
        assert.equal(res.headers.get('www-authenticate'), 'Basic realm="hawkBit"');
        assert.equal((await call('GET', `targets?q=${encodeURIComponent('name=~x')}`)).json.errorCode, 'hawkbit.server.error.rest.param.rsqlParamSyntax');
      });
    });
  }
});

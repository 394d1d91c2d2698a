// node_sdk.js - bench/run.sh --node only: the official Node SDK core
// (@huaweicloud/huaweicloud-sdk-core, installed by run.sh into a temp dir) making
// the signed GET /v3/scm/certificates/{id} the shim makes, against the same emulator.
//
//   node bench/node_sdk.js SDK_DIR CALLS CERT_ID...
//
// Configuration from SCM_ENDPOINT, SCM_PROJECT_ID, SCM_AK, SCM_SK. Every ID is asked
// once first and must be answered 200 (exit 1 otherwise); then CALLS calls, IDs in
// turn, one at a time. Prints one line of key=value with the process CPU time
// (user + system) of the measured calls per call.
'use strict';
const path = require('path');

const [sdkDir, callsArg, ...ids] = process.argv.slice(2);
const calls = Number(callsArg);
if (!sdkDir || !(calls > 0) || ids.length === 0) {
    console.error('usage: node node_sdk.js SDK_DIR CALLS CERT_ID...');
    process.exit(2);
}
const core = path.join(sdkDir, 'node_modules', '@huaweicloud', 'huaweicloud-sdk-core');
const { BasicCredentials } = require(core);
const { ClientBuilder } = require(path.join(core, 'ClientBuilder'));

const env = (name) => {
    const v = process.env[name];
    if (!v) {
        console.error(`node_sdk.js: ${name} is not set`);
        process.exit(2);
    }
    return v;
};
const credentials = new BasicCredentials()
    .withAk(env('SCM_AK'))
    .withSk(env('SCM_SK'))
    .withProjectId(env('SCM_PROJECT_ID'));
const client = new ClientBuilder((hc) => hc)
    .withEndpoint(env('SCM_ENDPOINT'))
    .withCredential(credentials)
    .build();

async function get(id) {
    let res;
    try {
        res = await client.sendRequest({
            method: 'GET',
            url: '/v3/scm/certificates/{certificate_id}',
            contentType: 'application/json',
            queryParams: {},
            pathParams: { certificate_id: id },
            headers: {},
        });
    } catch (e) {
        throw new Error(`GET ${id}: ${e.status || ''} ${e.errorMsg || e.message || e}`);
    }
    if (res.httpStatusCode !== 200)
        throw new Error(`GET ${id}: HTTP ${res.httpStatusCode}`);
}

(async () => {
    for (const id of ids) await get(id);
    const t0 = process.cpuUsage();
    for (let i = 0; i < calls; i++) await get(ids[i % ids.length]);
    const t = process.cpuUsage(t0);
    const us = (t.user + t.system) / calls;
    console.log(`calls=${calls} ids=${ids.length} cpu_us_per_call=${us.toFixed(2)} ` +
        `maxrss_kib=${process.resourceUsage().maxRSS}`);
})().catch((e) => {
    console.error(`node_sdk.js: ${e.message}`);
    process.exit(1);
});

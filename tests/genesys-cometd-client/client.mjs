// A real CometD client (the cometd package over cometd-nodejs-client, long-polling) driving Outdial's Genesys dialect:
// handshake, subscribe to /v2/me/outbound, then GetPreviewRecord and Complete/Reschedule/Reject over HTTP, each outcome
// awaited as its CometD notification. Prints the notifications received as JSON; exits 1 on any failure or after 60 s.
// Usage: node client.mjs BASE_URL AGENT_KEY CAMPAIGN_NAME
import { adapt } from "cometd-nodejs-client";
import { CometD } from "cometd";

const [base, key, campaign] = process.argv.slice(2);
const fail = (why) => { console.error(why); process.exit(1); };
setTimeout(() => fail("timed out"), 60_000).unref();

adapt();
const cometd = new CometD();
cometd.unregisterTransport("websocket");
cometd.configure({ url: `${base}/api/v2/notifications`, requestHeaders: { Authorization: `Bearer ${key}` }, logLevel: "warn" });

const received = [];
const waiting = [];
function deliver(data) {
  received.push(data);
  for (const w of waiting.splice(0)) if (!w.test(data)) waiting.push(w); else w.resolve(data);
}
const notification = (referenceId) => new Promise((resolve) => {
  const seen = received.find((d) => d.referenceId === referenceId);
  if (seen) resolve(seen); else waiting.push({ test: (d) => d.referenceId === referenceId, resolve });
});
async function post(path, body) {
  const response = await fetch(`${base}${path}`, {
    method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  const answer = await response.json();
  if (response.status !== 200 || answer.statusCode !== 0) fail(`${path}: ${response.status} ${JSON.stringify(answer)}`);
}
const common = { applicationId: 7, campaignName: campaign, devicePath: "/devices/node-client" };
async function preview(referenceId) {
  await post(`/api/v2/me/outbound-campaigns/${encodeURIComponent(campaign)}`, { operationName: "GetPreviewRecord", referenceId });
  const offered = await notification(referenceId);
  if (offered.notificationType !== "PreviewRecord") fail(`no record offered: ${JSON.stringify(offered)}`);
  return offered.record.recordHandle;
}
async function operate(handle, body) {
  await post(`/api/v2/me/outbound-records/${handle}`, { ...common, ...body });
  return notification(body.referenceId);
}

await new Promise((resolve) => cometd.handshake((reply) => reply.successful ? resolve() : fail(`handshake: ${JSON.stringify(reply)}`)));
await new Promise((resolve) => cometd.subscribe("/v2/me/outbound", (message) => deliver(message.data),
  (reply) => reply.successful ? resolve() : fail(`subscribe: ${JSON.stringify(reply)}`)));

const first = await preview("p1");
await operate(first, { operationName: "CompleteRecord", callingList: "List", callResult: "Answer", referenceId: "c1" });
const second = await preview("p2");
await operate(second, { operationName: "RescheduleRecord", callbackType: "Personal", timestamp: Math.floor(Date.now() / 1000) + 3600, referenceId: "r2" });
const third = await preview("p3");
await operate(third, { operationName: "RejectRecord", referenceId: "j3" });

const transport = cometd.getTransport().type;
await new Promise((resolve) => cometd.disconnect(resolve));
console.log(JSON.stringify({ transport,
  notifications: received.map((d) => [d.referenceId, d.notificationType, d.record?.recordHandle ?? null]) }));
process.exit(0);

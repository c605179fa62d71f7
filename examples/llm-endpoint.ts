// Load-test an OpenAI-compatible chat endpoint, token by token. Against the demo target by default;
// point BASE_URL at a real server (and set API_KEY) to test it.
//   npx loadts run examples/llm-endpoint.ts
import llm from 'loadts/llm';
import { check } from 'loadts';

export const options = {
  scenarios: {
    chat: { executor: 'constant-arrival-rate', rate: 5, timeUnit: '1s', duration: '10s', preAllocatedVUs: 5, maxVUs: 20 },
  },
  thresholds: {
    llm_time_to_first_token: ['p(95)<500'],
    llm_inter_token_latency: ['p(99)<100'],
    llm_tokens_per_second: ['med>20'],
  },
};

const demo = '?ttft=150&tokens=40&gap=15'; // the demo target's mock timing; ignored by real servers

export default async function () {
  const r = await llm.chat(
    `${__ENV.BASE_URL}/v1/chat/completions${__ENV.API_KEY ? '' : demo}`,
    { model: __ENV.MODEL ?? 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello in five words.' }], max_tokens: 64 },
    { headers: __ENV.API_KEY ? { Authorization: `Bearer ${__ENV.API_KEY}` } : {} },
  );
  check(r, {
    'answered': (x) => x.status === 200 && x.error === '',
    'produced tokens': (x) => x.output_tokens > 0,
  });
}

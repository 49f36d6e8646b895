import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fakeAwsCli } from '../helpers/fake-aws-cli';

// The labs' service-outage exercises (cross-service: inventory, IoT platform: device-service),
// run by bash against a recorder standing in for the AWS CLI: which service each one scales,
// in which order, and to which bounds. Nothing reaches AWS.
const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const { bin, calls } = fakeAwsCli('lab-outage-scripts-', `
  *"OutputKey=='ClusterName'"*) echo lab-cluster ;;
  *"OutputKey=='InventoryServiceName'"*) echo inventory-svc ;;
  *"OutputKey=='DeviceServiceName'"*) echo device-svc ;;
  "application-autoscaling register-scalable-target"*) ;;
  "ecs update-service"*) echo "0 1" ;;
  "ecs describe-services"*) echo status-table ;;
`);
beforeEach(() => writeFileSync(calls, ''));

function run(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', [path.join(EXAMPLES, script), ...args], { env: { PATH: `${bin}:${process.env.PATH}`, HOME: bin } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}

/** The AWS calls other than stack-output reads, in order. */
const scalingCalls = () => readFileSync(calls, 'utf8').split('\n').filter((l) => l && !l.startsWith('cloudformation'));

describe('service outage scripts', () => {
  test('start moves the scaling bounds to 0 before the desired count of the lab\'s own service', async () => {
    expect((await run('cross-service/scripts/inventory-outage.sh', ['start'])).code).toBe(0);
    expect(scalingCalls()).toEqual([
      expect.stringMatching(/^application-autoscaling register-scalable-target .*--resource-id service\/lab-cluster\/inventory-svc --min-capacity 0 --max-capacity 0$/),
      expect.stringMatching(/^ecs update-service --cluster lab-cluster --service inventory-svc --desired-count 0 /),
    ]);
  });

  test('stop restores each lab\'s own task bounds: 1..2 for inventory, 2..4 for device-service', async () => {
    expect((await run('cross-service/scripts/inventory-outage.sh', ['stop'])).code).toBe(0);
    expect(scalingCalls()[0]).toMatch(/inventory-svc --min-capacity 1 --max-capacity 2$/);
    writeFileSync(calls, '');
    expect((await run('iot-platform/scripts/device-outage.sh', ['stop'])).code).toBe(0);
    expect(scalingCalls()).toEqual([
      expect.stringMatching(/device-svc --min-capacity 2 --max-capacity 4$/),
      expect.stringMatching(/^ecs update-service --cluster lab-cluster --service device-svc --desired-count 2 /),
    ]);
  });

  test('an unknown action is refused before any AWS call', async () => {
    const result = await run('iot-platform/scripts/device-outage.sh', ['explode']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/usage: device-outage.sh start\|stop\|status/);
    expect(readFileSync(calls, 'utf8')).toBe('');
  });

  test('the shared script names a wrong action and what is allowed', async () => {
    const result = await run('lab-scripts/service-outage.sh', ['c', 's', '1', '2', 'pause']);
    expect([result.code, result.stderr.trim()]).toEqual([2, 'the action must be start, stop or status, got "pause"']);
  });
});

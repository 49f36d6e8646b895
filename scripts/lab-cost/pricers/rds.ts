// RDS for MySQL instances (class, Multi-AZ, storage) and RDS Proxy (billed on its target's vCPUs).
import { line, notPriced, priced, Pricer } from '../model';
import { PRICES, RdsInstanceClass } from '../prices';
import { literalBoolean, literalNumber, literalString, StackResource, TemplateIndex } from '../template';

/** The class entry of a MySQL instance, or why it has none. */
function mysqlClass(instance: StackResource): RdsInstanceClass | string {
  if (instance.properties.DBClusterIdentifier !== undefined) return 'it is an Aurora cluster instance; Aurora has no price in the table';
  const engine = literalString(instance.properties.Engine);
  if (engine !== 'mysql') return `engine ${JSON.stringify(instance.properties.Engine)} has no price in the table (only mysql)`;
  const className = literalString(instance.properties.DBInstanceClass);
  const entry = className === undefined ? undefined : PRICES.rds.mysql[className];
  return entry ?? `instance class ${JSON.stringify(instance.properties.DBInstanceClass)} has no price in the table`;
}

/** A MySQL DB instance: instance hours (Single-AZ or Multi-AZ) and its General Purpose storage. */
const priceDbInstance: Pricer = (r) => {
  const entry = mysqlClass(r);
  if (typeof entry === 'string') return notPriced(entry);
  const multiAz = literalBoolean(r.properties.MultiAZ ?? false);
  if (multiAz === undefined) return notPriced('its MultiAZ is not a literal boolean');
  const storageType = literalString(r.properties.StorageType) ?? 'gp2';
  if (storageType !== 'gp2' && storageType !== 'gp3') return notPriced(`storage type ${storageType} has no price in the table`);
  const gb = literalNumber(r.properties.AllocatedStorage);
  if (gb === undefined) return notPriced('its AllocatedStorage is not a literal number');
  const className = String(r.properties.DBInstanceClass);
  const deployment = multiAz ? 'Multi-AZ' : 'Single-AZ';
  return priced([
    line(r, `RDS MySQL ${className}, ${deployment}`, multiAz ? entry.multiAz : entry.singleAz, 1),
    line(r, `RDS ${storageType} storage, ${deployment} (GB)`, multiAz ? PRICES.rds.storage.multiAz : PRICES.rds.storage.singleAz, gb),
  ]);
};

/**
 * RDS Proxy bills per vCPU of the instances it targets (not the standby), with a minimum; the
 * targets are read from the proxy's target groups in the same template.
 */
const priceDbProxy: Pricer = (proxy, index) => {
  const targets = targetInstances(proxy, index);
  if (typeof targets === 'string') return notPriced(targets);
  let vcpus = 0;
  for (const instance of targets) {
    const entry = mysqlClass(instance);
    if (typeof entry === 'string') return notPriced(`its target ${instance.logicalId} cannot be priced: ${entry}`);
    vcpus += entry.vcpus;
  }
  const billed = Math.max(vcpus, PRICES.rds.proxyMinimumVcpus);
  const description = `RDS Proxy, per vCPU of its target (${vcpus} vCPU, minimum ${PRICES.rds.proxyMinimumVcpus})`;
  return priced([line(proxy, description, PRICES.rds.proxyVcpu, billed)]);
};

/** The DB instances the proxy's target groups name, or why they are unknown. */
function targetInstances(proxy: StackResource, index: TemplateIndex): StackResource[] | string {
  const groups = index.referrers('AWS::RDS::DBProxyTargetGroup', 'DBProxyName', proxy.logicalId);
  if (groups.length === 0) return 'no target group in this template names it, so its target vCPUs are unknown';
  const instances: StackResource[] = [];
  for (const group of groups) {
    if (group.properties.DBClusterIdentifiers !== undefined) return 'it targets an Aurora cluster, which has no price in the table';
    const ids = group.properties.DBInstanceIdentifiers;
    if (!Array.isArray(ids)) return `target group ${group.logicalId} names no literal list of DB instances`;
    for (const id of ids) {
      const instance = index.target(id);
      if (!instance) return `target group ${group.logicalId} names a DB instance outside this template`;
      instances.push(instance);
    }
  }
  return instances;
}

/** Pricers of this file by CloudFormation type. */
export const RDS_PRICERS: Readonly<Record<string, Pricer>> = {
  'AWS::RDS::DBInstance': priceDbInstance,
  'AWS::RDS::DBProxy': priceDbProxy,
};

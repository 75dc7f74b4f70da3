// keepalived instance names: l3ha_<router id>. The notify hook parses them back, so both
// directions live here, with no imports (the hook loads nothing it does not need).
export const instanceName = (id: string): string => `l3ha_${id}`;
export const INSTANCE_PATTERN = /^l3ha_([a-z0-9][a-z0-9-]{0,10})$/;

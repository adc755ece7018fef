/**
 * "Is this computer on a network at all?" decided from facts the caller can read cheaply
 * (os.networkInterfaces()), so the explainer can tell "no network" from "server name not
 * found" — offline, name lookups fail before any connection is tried, with the same codes
 * (ENOTFOUND, EAI_AGAIN) as a misspelt server name.
 */

/** One address of a network interface, as os.networkInterfaces() lists it. */
export interface InterfaceAddress {
  address: string;
  /** 'IPv4' | 'IPv6' (a number in some older Node releases). */
  family: string | number;
  internal: boolean;
}

/** The shape of os.networkInterfaces(): interface name → its addresses. */
export type NetworkInterfaces = Readonly<Record<string, readonly InterfaceAddress[] | undefined>>;

/**
 * Addresses an interface has even without any network: IPv4 169.254/16 (no DHCP answer) and
 * IPv6 fe80::/10 (every IPv6 interface that is merely switched on, including the tunnel and
 * peer-to-peer interfaces macOS keeps up all the time).
 */
function isLinkLocal(a: InterfaceAddress): boolean {
  const addr = a.address.toLowerCase();
  if (addr.startsWith('169.254.')) return true;
  return /^fe[89ab][0-9a-f]:/.test(addr);
}

/**
 * True when no interface other than loopback has an address that can reach beyond the link:
 * then the computer is certainly not on the internet. False does not prove the opposite (a
 * Wi-Fi without internet still has an address); it only means "not known to be offline".
 */
export function isProbablyOffline(interfaces: NetworkInterfaces): boolean {
  for (const addresses of Object.values(interfaces)) {
    for (const a of addresses ?? []) {
      if (!a.internal && !isLinkLocal(a)) return false;
    }
  }
  return true;
}

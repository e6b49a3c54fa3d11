import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

/**
 * A WebAuthn authenticator in software, written from the WebAuthn Level 3 and CTAP2 specs
 * and nothing of the server's: an ES256 (P-256) key per credential from `node:crypto`,
 * CBOR encoded here, `fmt: "none"` attestation, DER signatures. What it returns is what a
 * browser's `PublicKeyCredential.toJSON()` gives the page.
 */

// --- CBOR (RFC 8949), the subset WebAuthn needs: integers, byte and text strings, maps ---

type CborValue = number | string | Uint8Array | Map<CborValue, CborValue>;

function cborHead(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
  if (length < 0x10000) {
    const head = Buffer.alloc(3);
    head[0] = (major << 5) | 25;
    head.writeUInt16BE(length, 1);
    return head;
  }
  const head = Buffer.alloc(5);
  head[0] = (major << 5) | 26;
  head.writeUInt32BE(length, 1);
  return head;
}

export function cborEncode(value: CborValue): Buffer {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error('Only integers are encoded');
    return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value);
  }
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([cborHead(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([cborHead(2, value.length), Buffer.from(value)]);
  const parts: Buffer[] = [cborHead(5, value.size)];
  for (const [key, entry] of value) parts.push(cborEncode(key), cborEncode(entry));
  return Buffer.concat(parts);
}

// --- authenticator data (WebAuthn §6.1) ---

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

const sha256 = (data: Buffer | string): Buffer => createHash('sha256').update(data).digest();
const b64url = (data: Buffer | Uint8Array): string => Buffer.from(data).toString('base64url');

/** The credential public key as a COSE_Key (RFC 9053): EC2, ES256, P-256, x, y. */
function coseKeyOf(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.x === undefined || jwk.y === undefined) throw new Error('Not an EC key');
  return cborEncode(
    new Map<CborValue, CborValue>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x, 'base64url')],
      [-3, Buffer.from(jwk.y, 'base64url')],
    ]),
  );
}

export interface StoredCredential {
  id: Buffer;
  privateKey: KeyObject;
  publicKey: KeyObject;
  rpId: string;
  userHandle: string;
  counter: number;
  backedUp: boolean;
}

export interface CeremonyOverrides {
  /** The page's origin the "browser" writes into clientDataJSON. */
  origin?: string;
  /** The RP ID whose hash the authenticator writes (a phishing site would have another). */
  rpId?: string;
  /** The UV flag; defaults to the authenticator's `userVerification`. */
  userVerified?: boolean;
  /** clientDataJSON `type`. */
  type?: string;
  /** Use this credential (e.g. another user's, or one the server never saw). */
  credential?: StoredCredential;
  /** Sign with this counter instead of the next one (a cloned authenticator). */
  counter?: number;
  /** Flip one bit of the signature. */
  tamperSignature?: boolean;
}

export interface AuthenticatorOptions {
  /** Origin the pages run on, e.g. the test app's `http://127.0.0.1:PORT`. */
  origin: string;
  /** Whether the authenticator verifies the user (PIN, biometrics). @default true */
  userVerification?: boolean;
  /** A synced passkey (BE and BS flags set) rather than a device-bound one. @default false */
  backedUp?: boolean;
  /** A signature counter (security keys keep one; synced passkeys usually send 0). @default true */
  counts?: boolean;
}

export interface RegistrationResponseJson {
  id: string;
  rawId: string;
  type: 'public-key';
  response: { clientDataJSON: string; attestationObject: string; transports: string[] };
  clientExtensionResults: Record<string, unknown>;
  authenticatorAttachment: 'platform' | 'cross-platform';
}

export interface AuthenticationResponseJson {
  id: string;
  rawId: string;
  type: 'public-key';
  response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle?: string };
  clientExtensionResults: Record<string, unknown>;
  authenticatorAttachment: 'platform' | 'cross-platform';
}

interface CreationOptions {
  challenge: string;
  rp: { id?: string; name: string };
  user: { id: string; name: string };
  excludeCredentials?: { id: string }[];
}

interface RequestOptions {
  challenge: string;
  rpId?: string;
  allowCredentials?: { id: string }[];
}

export class SoftwareAuthenticator {
  readonly credentials: StoredCredential[] = [];

  constructor(readonly options: AuthenticatorOptions) {}

  private flags(userVerified: boolean, backedUp: boolean, attested: boolean): number {
    return FLAG_UP | (userVerified ? FLAG_UV : 0) | (backedUp ? FLAG_BE | FLAG_BS : 0) | (attested ? FLAG_AT : 0);
  }

  private clientData(type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), 'utf8');
  }

  /** A key pair the server has never seen, for "unknown credential" checks. */
  strayCredential(rpId = 'localhost'): StoredCredential {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    return {
      id: randomBytes(32),
      privateKey,
      publicKey,
      rpId,
      userHandle: b64url(randomBytes(32)),
      counter: 0,
      backedUp: false,
    };
  }

  /** `navigator.credentials.create({ publicKey: options })`, then `.toJSON()`. */
  register(options: CreationOptions, overrides: CeremonyOverrides = {}): RegistrationResponseJson {
    const rpId = overrides.rpId ?? options.rp.id ?? 'localhost';
    const excluded = new Set((options.excludeCredentials ?? []).map((c) => c.id));
    if (this.credentials.some((c) => c.rpId === rpId && excluded.has(b64url(c.id))))
      throw new Error('InvalidStateError: this authenticator already holds a credential in excludeCredentials');
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const backedUp = this.options.backedUp ?? false;
    const credential: StoredCredential = {
      id: randomBytes(32),
      privateKey,
      publicKey,
      rpId,
      userHandle: options.user.id,
      counter: 0,
      backedUp,
    };
    const userVerified = overrides.userVerified ?? this.options.userVerification ?? true;
    const counter = this.options.counts === false ? 0 : ++credential.counter;
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credential.id.length);
    const signCount = Buffer.alloc(4);
    signCount.writeUInt32BE(counter);
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([this.flags(userVerified, backedUp, true)]),
      signCount,
      Buffer.alloc(16), // AAGUID: zeros, as "none" attestation reports it
      idLength,
      credential.id,
      coseKeyOf(publicKey),
    ]);
    const attestationObject = cborEncode(
      new Map<CborValue, CborValue>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    const clientDataJSON = this.clientData(
      overrides.type ?? 'webauthn.create',
      options.challenge,
      overrides.origin ?? this.options.origin,
    );
    this.credentials.push(credential);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /**
   * `navigator.credentials.get({ publicKey: options })`, then `.toJSON()`: the newest
   * credential that `allowCredentials` names (or any for this RP when it names none).
   */
  assert(options: RequestOptions, overrides: CeremonyOverrides = {}): AuthenticationResponseJson {
    const rpId = overrides.rpId ?? options.rpId ?? 'localhost';
    const allowed = new Set((options.allowCredentials ?? []).map((c) => c.id));
    const credential =
      overrides.credential ??
      [...this.credentials]
        .reverse()
        .find((c) => c.rpId === (options.rpId ?? 'localhost') && (allowed.size === 0 || allowed.has(b64url(c.id))));
    if (credential === undefined) throw new Error('NotAllowedError: no credential for this request');
    const userVerified = overrides.userVerified ?? this.options.userVerification ?? true;
    let counter = 0;
    if (overrides.counter !== undefined) counter = overrides.counter;
    else if (this.options.counts !== false) counter = ++credential.counter;
    const signCount = Buffer.alloc(4);
    signCount.writeUInt32BE(counter);
    const authenticatorData = Buffer.concat([
      sha256(rpId),
      Buffer.from([this.flags(userVerified, credential.backedUp, false)]),
      signCount,
    ]);
    const clientDataJSON = this.clientData(
      overrides.type ?? 'webauthn.get',
      options.challenge,
      overrides.origin ?? this.options.origin,
    );
    // WebAuthn §6.3.3: the signature covers authenticatorData ‖ SHA-256(clientDataJSON);
    // ECDSA signatures are DER-encoded (node's default).
    const signature = sign('sha256', Buffer.concat([authenticatorData, sha256(clientDataJSON)]), credential.privateKey);
    if (overrides.tamperSignature === true)
      signature.writeUInt8(signature.readUInt8(signature.length - 1) ^ 0x01, signature.length - 1);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authenticatorData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}

// Proofs of a legitimate reason: PDF, JPEG or PNG, recognised by their content, not their name.
export const PROOF_MAX_BYTES = 5 * 1024 * 1024;

export type ProofType = {
  contentType: "application/pdf" | "image/jpeg" | "image/png";
  extension: "pdf" | "jpg" | "png";
};

export function detectProofType(bytes: Uint8Array): ProofType | null {
  const starts = (signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d]))
    return { contentType: "application/pdf", extension: "pdf" }; // %PDF-
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return { contentType: "image/png", extension: "png" };
  if (starts([0xff, 0xd8, 0xff])) return { contentType: "image/jpeg", extension: "jpg" };
  return null;
}

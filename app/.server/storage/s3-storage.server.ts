import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { writeFileAtomically } from "./atomic-file.server";
import type { BlobStorage, ByteRange } from "./blob-storage.server";

export interface S3StorageConfig {
  bucket: string;
  region: string;
  /** An S3-compatible service; undefined = AWS. */
  endpoint?: string;
  forcePathStyle: boolean;
  /** Undefined = the AWS SDK's default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** Files in an S3 (or S3-compatible) bucket, one object per key. */
export class S3Storage implements BlobStorage {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(config: S3StorageConfig) {
    this.bucket = config.bucket;
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      credentials: config.credentials,
      // The SDK's default CRC checksums send streamed bodies as aws-chunked uploads with
      // trailers, which many S3-compatible services reject; plain signed requests work everywhere.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  async put(key: string, source: string | Readable, options: { contentType: string }): Promise<void> {
    if (typeof source === "string") return this.putFile(key, source, options.contentType);
    // A single PUT needs the length up front, so a stream is spooled to disk first.
    const directory = await mkdtemp(path.join(tmpdir(), "weft-s3-put-"));
    try {
      const spooled = path.join(directory, "body");
      await pipeline(source, createWriteStream(spooled));
      await this.putFile(key, spooled, options.contentType);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }

  async stat(key: string): Promise<{ size: number } | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async createReadStream(key: string, range?: ByteRange): Promise<Readable> {
    const object = await this.client.send(
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Range: range ? `bytes=${range.start}-${range.end}` : undefined,
      }),
    );
    // In Node the SDK's body is an http.IncomingMessage (a Readable) with helper methods mixed in.
    if (!(object.Body instanceof Readable)) throw new Error(`S3 returned no readable body for ${key}`);
    return object.Body;
  }

  localPath(): null {
    return null;
  }

  async downloadToFile(key: string, destination: string): Promise<void> {
    await writeFileAtomically(destination, async (temporaryPath) =>
      pipeline(await this.createReadStream(key), createWriteStream(temporaryPath)),
    );
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  private async putFile(key: string, file: string, contentType: string) {
    // One PUT takes up to 5 GB, far above the upload limits, so multipart uploads are not needed.
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: createReadStream(file),
        ContentLength: (await stat(file)).size,
        ContentType: contentType,
      }),
    );
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.name === "NotFound" || error.$metadata.httpStatusCode === 404);
}

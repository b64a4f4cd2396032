-- CreateTable
CREATE TABLE "ModelCatalog" (
    "keyHash" TEXT NOT NULL,
    "models" JSONB NOT NULL,
    "fetchedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ModelCatalog_pkey" PRIMARY KEY ("keyHash")
);

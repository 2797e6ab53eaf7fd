"""Stored files: one storage for every plugin (local disk or an S3-compatible store), streamed
uploads and downloads, per-tenant size limits, and removal once nothing holds a file."""

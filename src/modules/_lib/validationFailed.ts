/**
 * A file's `validate` command refused the new content (WriteContext.writeFile). It carries
 * the command's exit status and output, which each module words its own way: lineinfile,
 * replace and blockinfile fail with this message, copy and template with Ansible's copy keys.
 */
export class ValidationFailed extends Error {
  constructor(
    readonly rc: number,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`failed to validate: rc:${rc} error:${stderr}`);
    this.name = 'ValidationFailed';
  }
}

/** The line the write's shell prints on stderr, after the validate command's own output, when that command fails. */
export const VALIDATE_FAILED_MARK = '__kelpie_validate_failed__';

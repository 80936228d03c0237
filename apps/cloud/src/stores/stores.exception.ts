import { AppException } from '@app/nest-kit';

export type StoresErrorCode = 'STORE_CODE_TAKEN';

export class StoresException extends AppException {
  static codeTaken(code: string): StoresException {
    return new StoresException('STORE_CODE_TAKEN', `a store with code '${code}' already exists`, 409);
  }

  private constructor(code: StoresErrorCode, message: string, status: number) {
    super(code, message, status);
  }
}

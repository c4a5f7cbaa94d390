import { createStaffApi } from '../../shared/api.js';

export { ApiError, type LoginResult } from '../../shared/api.js';

export const { getToken, setToken, api, signIn } = createStaffApi('switchboard.console.token');

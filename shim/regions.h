/*
 * regions.h - the SCM regions of the official SDKs and their endpoints, as data:
 * X(region ID, endpoint) per row, exactly services/scm/v3/region/region.go of
 * huaweicloud-sdk-go-v3. HUAWEICLOUD_SDK_REGION picks a row (settings.c).
 */
#ifndef SCM_SHIM_REGIONS_H
#define SCM_SHIM_REGIONS_H

#define SCM_REGIONS(X)                                                                             \
    X("cn-north-4", "https://scm.cn-north-4.myhuaweicloud.com")                                    \
    X("ap-southeast-1", "https://scm.ap-southeast-1.myhuaweicloud.com")                            \
    X("my-kualalumpur-1", "https://scm.my-kualalumpur-1.myhuaweicloud.com")

#endif

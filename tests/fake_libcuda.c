/*
 * A stand-in for the NVIDIA driver library, libcuda.so.1, for machines without a GPU.
 *
 * The tests of d2l_utils.gpu_probe build it to play any GPU: the environment variable
 * FAKE_CUDA_DEVICES lists the GPUs it reports, as "NAME:MAJOR.MINOR" entries separated
 * by ";" (for example "NVIDIA H100 80GB HBM3:9.0"). Unset or empty, it reports none:
 * cuInit returns CUDA_ERROR_NO_DEVICE, as the real driver does on a machine without a GPU.
 * FAKE_CUDA_INIT_ERROR=N makes cuInit fail with error N instead.
 *
 * `make check-gpu-import` builds it as libcuda.so.1 so that MXNet's CUDA build can be
 * loaded at all: libmxnet.so of mxnet-cu117 1.9.1 links to ten driver functions,
 * cuDeviceGet, cuGetErrorString and the eight at the end of this file, which report
 * that there is no GPU.
 *
 * Build: cc -shared -fPIC -Wl,-soname,libcuda.so.1 -o libcuda.so.1 fake_libcuda.c
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CUDA_SUCCESS 0
#define CUDA_ERROR_INVALID_VALUE 1
#define CUDA_ERROR_NO_DEVICE 100
#define CUDA_ERROR_INVALID_DEVICE 101
#define ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR 75
#define ATTRIBUTE_COMPUTE_CAPABILITY_MINOR 76
#define MAX_DEVICES 8

struct device {
    char name[256];
    int major;
    int minor;
};

/* Parse FAKE_CUDA_DEVICES into devices; return how many were listed. */
static int fake_devices(struct device *devices) {
    const char *spec = getenv("FAKE_CUDA_DEVICES");
    char copy[4096];
    char *saved = NULL;
    int count = 0;
    if (spec == NULL) {
        return 0;
    }
    snprintf(copy, sizeof copy, "%s", spec);
    for (char *entry = strtok_r(copy, ";", &saved); entry != NULL && count < MAX_DEVICES;
         entry = strtok_r(NULL, ";", &saved)) {
        char *colon = strrchr(entry, ':');
        if (colon == NULL || sscanf(colon + 1, "%d.%d", &devices[count].major, &devices[count].minor) != 2) {
            continue;
        }
        *colon = '\0';
        snprintf(devices[count].name, sizeof devices[count].name, "%s", entry);
        count++;
    }
    return count;
}

int cuInit(unsigned int flags) {
    struct device devices[MAX_DEVICES];
    const char *error = getenv("FAKE_CUDA_INIT_ERROR");
    (void)flags;
    if (error != NULL) {
        return atoi(error);
    }
    return fake_devices(devices) > 0 ? CUDA_SUCCESS : CUDA_ERROR_NO_DEVICE;
}

int cuDriverGetVersion(int *version) {
    *version = 11080;
    return CUDA_SUCCESS;
}

int cuDeviceGetCount(int *count) {
    struct device devices[MAX_DEVICES];
    *count = fake_devices(devices);
    return CUDA_SUCCESS;
}

int cuDeviceGet(int *device, int ordinal) {
    struct device devices[MAX_DEVICES];
    if (ordinal < 0 || ordinal >= fake_devices(devices)) {
        return CUDA_ERROR_INVALID_DEVICE;
    }
    *device = ordinal;
    return CUDA_SUCCESS;
}

int cuDeviceGetName(char *name, int length, int device) {
    struct device devices[MAX_DEVICES];
    if (device < 0 || device >= fake_devices(devices)) {
        return CUDA_ERROR_INVALID_DEVICE;
    }
    snprintf(name, (size_t)length, "%s", devices[device].name);
    return CUDA_SUCCESS;
}

int cuDeviceGetAttribute(int *value, int attribute, int device) {
    struct device devices[MAX_DEVICES];
    if (device < 0 || device >= fake_devices(devices)) {
        return CUDA_ERROR_INVALID_DEVICE;
    }
    if (attribute == ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR) {
        *value = devices[device].major;
    } else if (attribute == ATTRIBUTE_COMPUTE_CAPABILITY_MINOR) {
        *value = devices[device].minor;
    } else {
        return CUDA_ERROR_INVALID_VALUE;
    }
    return CUDA_SUCCESS;
}

int cuGetErrorString(int error, const char **text) {
    (void)error;
    *text = "fake NVIDIA driver: no GPU";
    return CUDA_SUCCESS;
}

/* The rest of the driver functions libmxnet.so links to: there is no GPU to run them on. */
int cuDevicePrimaryCtxRetain(void) { return CUDA_ERROR_NO_DEVICE; }
int cuGraphKernelNodeGetParams(void) { return CUDA_ERROR_NO_DEVICE; }
int cuGraphNodeGetType(void) { return CUDA_ERROR_NO_DEVICE; }
int cuLaunchKernel(void) { return CUDA_ERROR_NO_DEVICE; }
int cuModuleGetFunction(void) { return CUDA_ERROR_NO_DEVICE; }
int cuModuleLoadData(void) { return CUDA_ERROR_NO_DEVICE; }
int cuModuleLoadDataEx(void) { return CUDA_ERROR_NO_DEVICE; }
int cuModuleUnload(void) { return CUDA_ERROR_NO_DEVICE; }

/* CUDA 11.3+ runtimes fetch every driver function through this: hand out this file's
   functions by name, and for any other one a function that reports there is no GPU. */
static int unavailable(void) { return CUDA_ERROR_NO_DEVICE; }

int cuGetProcAddress(const char *symbol, void **function, int version, unsigned long long flags) {
    void *own = dlsym(RTLD_DEFAULT, symbol);
    (void)version;
    (void)flags;
    *function = own != NULL ? own : (void *)unavailable;
    return CUDA_SUCCESS;
}
